//! Pages, the traits a provider's list queries and answers implement, and
//! streams that walk every page.
//!
//! Providers describe the end of a list three ways, and [`Page::has_next`]
//! reads each: a number of pages (GSalary), a total count of items with a
//! page size (the merchant wallet's `{list, total}`), or nothing, where a
//! short or empty page is the last.

use std::future::Future;

use futures_util::stream::{self, Stream, TryStreamExt as _};

use crate::error::Result;

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// This page's number, from 1.
    pub page: u32,
    /// The number of items a full page holds, when known (usually the `limit` asked for).
    pub page_size: Option<u32>,
    /// The number of pages, when the provider says.
    pub total_pages: Option<u32>,
    /// The number of items in all pages, when the provider says.
    pub total_count: Option<u64>,
}

impl<T> Page<T> {
    /// A page.
    pub fn new(
        items: Vec<T>,
        page: u32,
        total_pages: Option<u32>,
        total_count: Option<u64>,
    ) -> Self {
        Self {
            items,
            page,
            page_size: None,
            total_pages,
            total_count,
        }
    }

    /// The same page, knowing how many items a full page holds.
    pub fn with_page_size(mut self, page_size: Option<u32>) -> Self {
        self.page_size = page_size.filter(|s| *s > 0);
        self
    }

    /// Whether a later page exists.
    pub fn has_next(&self) -> bool {
        // An empty page ends every list, whatever the counts say: a server
        // that claims more pages but sends none must not be asked forever.
        if self.items.is_empty() {
            return false;
        }
        if let Some(total) = self.total_pages {
            return self.page < total;
        }
        if let (Some(count), Some(size)) = (self.total_count, self.page_size) {
            return u64::from(self.page).saturating_mul(u64::from(size)) < count;
        }
        match self.page_size {
            // A short page is the last.
            Some(size) => self.items.len() >= usize::try_from(size).unwrap_or(usize::MAX),
            // Neither counts nor a size: only an empty page ends the list.
            None => true,
        }
    }
}

/// A list query: a filter with a page number, that can be checked before
/// sending and moved to another page.
pub trait ListQuery: Clone {
    /// The page asked for, from 1.
    fn page_no(&self) -> u32;
    /// The same query for another page.
    fn at_page(self, page: u32) -> Self;
    /// The query's own rules, checked before anything is sent.
    fn check(&self) -> Result<()>;
    /// How many items a full page holds, when the query says (`limit`).
    fn page_size(&self) -> Option<u32> {
        None
    }
}

/// A list answer that turns into a [`Page`].
pub trait ListAnswer {
    /// What the list holds.
    type Item;
    /// The answer as a page; `requested` is the page asked for.
    fn into_page(self, requested: u32) -> Page<Self::Item>;
}

/// Every item of a list, page after page: an owned stream that can be
/// returned, stored in a struct and moved into `tokio::spawn`, and iterated
/// with `futures::StreamExt::next` or `TryStreamExt::try_next` without pinning.
pub type Items<T> = std::pin::Pin<Box<dyn Stream<Item = Result<T>> + Send + 'static>>;

/// How far a stream may walk: [`DEFAULT_MAX_PAGES`] unless raised.
pub const DEFAULT_MAX_PAGES: u32 = 1000;

/// Walks pages from `first`, calling `fetch(page)` for each, and yields every
/// item. It stops after the last page (see [`Page::has_next`]), at the first
/// error (which it yields), when the server answers with a page other than
/// the one asked for or repeats the previous page's items, and after
/// `max_pages` pages, so it never loops.
///
/// ```
/// use futures_util::TryStreamExt;
/// use walletbridge_core::pagination::{paginate, Page, DEFAULT_MAX_PAGES};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let items: Vec<u32> = paginate(1, DEFAULT_MAX_PAGES, |p| async move {
///     Ok(Page::new(vec![p * 10, p * 10 + 1], p, Some(3), None))
/// })
/// .try_collect()
/// .await
/// .unwrap();
/// assert_eq!(items, [10, 11, 20, 21, 30, 31]);
/// # });
/// ```
pub fn paginate<T, F, Fut>(
    first: u32,
    max_pages: u32,
    fetch: F,
) -> impl Stream<Item = Result<T>> + use<T, F, Fut>
where
    T: PartialEq + Clone,
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    struct Walk<T, F> {
        next: Option<u32>,
        fetched: u32,
        previous: Option<Vec<T>>,
        fetch: F,
    }
    let walk = Walk {
        next: Some(first.max(1)),
        fetched: 0,
        previous: None,
        fetch,
    };
    stream::try_unfold(walk, move |mut walk| async move {
        let Some(page_no) = walk.next else {
            return Ok::<_, crate::Error>(None);
        };
        let page = (walk.fetch)(page_no).await?;
        walk.fetched += 1;
        let repeated = walk.previous.as_ref() == Some(&page.items);
        if repeated || page.page != page_no {
            tracing::warn!(
                requested = page_no,
                answered = page.page,
                repeated,
                "the provider did not answer the page asked for; the list ends here"
            );
            return Ok(None);
        }
        walk.next = (page.has_next() && walk.fetched < max_pages.max(1))
            .then(|| page_no.checked_add(1))
            .flatten();
        walk.previous = walk.next.is_some().then(|| page.items.clone());
        Ok(Some((page.items, walk)))
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use futures_util::StreamExt as _;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn walks_until_total_pages_and_stops() {
        let calls = AtomicU32::new(0);
        let items: Vec<u32> = paginate(1, DEFAULT_MAX_PAGES, |p| {
            calls.fetch_add(1, Ordering::SeqCst);
            async move { Ok(Page::new(vec![p], p, Some(4), Some(4))) }
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(calls.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let got: Vec<Result<u32>> = paginate(1, DEFAULT_MAX_PAGES, |p| async move {
            if p == 2 {
                Err(Error::http(503, b""))
            } else {
                Ok(Page::new(vec![p], p, Some(5), None))
            }
        })
        .collect()
        .await;
        assert_eq!(got.len(), 2);
        assert!(got[1].is_err());
    }

    #[tokio::test]
    async fn without_a_count_an_empty_page_ends() {
        let items: Vec<u32> = paginate(1, DEFAULT_MAX_PAGES, |p| async move {
            Ok(Page::new(
                if p < 3 { vec![p] } else { vec![] },
                p,
                None,
                None,
            ))
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items, [1, 2]);
    }

    /// Fetches with `page_of(p)` and records which pages were asked for.
    async fn walk(page_of: impl Fn(u32) -> Page<u32>, max_pages: u32) -> (Vec<u32>, Vec<u32>) {
        let asked = std::sync::Mutex::new(Vec::new());
        let items: Vec<u32> = paginate(1, max_pages, |p| {
            asked.lock().unwrap().push(p);
            let page = page_of(p);
            async move { Ok(page) }
        })
        .try_collect()
        .await
        .unwrap();
        let asked = asked.into_inner().unwrap();
        (items, asked)
    }

    #[tokio::test]
    async fn a_total_count_with_a_page_size_stops_at_the_last_page() {
        // {list, total}: 5 items, 2 a page: pages 1..=3, never a 4th.
        let (items, asked) = walk(
            |p| {
                let all = [1, 2, 3, 4, 5];
                let from = ((p - 1) * 2) as usize;
                let items = all.iter().copied().skip(from).take(2).collect();
                Page::new(items, p, None, Some(5)).with_page_size(Some(2))
            },
            DEFAULT_MAX_PAGES,
        )
        .await;
        assert_eq!(items, [1, 2, 3, 4, 5]);
        assert_eq!(asked, [1, 2, 3]);
        // An exact multiple stops too, without asking for an empty page.
        let (_, asked) = walk(
            |p| Page::new(vec![p, p + 100], p, None, Some(4)).with_page_size(Some(2)),
            DEFAULT_MAX_PAGES,
        )
        .await;
        assert_eq!(asked, [1, 2]);
    }

    #[tokio::test]
    async fn total_pages_alone_stop_at_the_last_page() {
        let (items, asked) = walk(|p| Page::new(vec![p], p, Some(3), None), 100).await;
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(asked, [1, 2, 3]);
    }

    #[tokio::test]
    async fn without_counts_a_short_page_is_the_last() {
        let (items, asked) = walk(
            |p| {
                let items = if p < 3 {
                    vec![p * 10, p * 10 + 1]
                } else {
                    vec![30]
                };
                Page::new(items, p, None, None).with_page_size(Some(2))
            },
            DEFAULT_MAX_PAGES,
        )
        .await;
        assert_eq!(items, [10, 11, 20, 21, 30]);
        assert_eq!(asked, [1, 2, 3]);
    }

    #[tokio::test]
    async fn a_repeated_page_ends_the_stream() {
        // A server that ignores the page number and claims there is always more.
        let (items, asked) = walk(|p| Page::new(vec![7, 8], p, Some(u32::MAX), None), 100).await;
        assert_eq!(items, [7, 8]);
        assert_eq!(asked, [1, 2]);
    }

    #[tokio::test]
    async fn an_answer_for_another_page_ends_the_stream() {
        let (items, asked) = walk(|p| Page::new(vec![p], 1, Some(50), None), 100).await;
        assert_eq!(items, [1]);
        assert_eq!(asked, [1, 2]);
    }

    #[tokio::test]
    async fn the_page_cap_bounds_an_endless_list() {
        let (items, asked) = walk(|p| Page::new(vec![p], p, None, None), 5).await;
        assert_eq!(items, [1, 2, 3, 4, 5]);
        assert_eq!(asked.len(), 5);
    }

    #[test]
    fn has_next_for_each_shape() {
        assert!(Page::new(vec![1], 1, Some(2), None).has_next());
        assert!(!Page::new(vec![1], 2, Some(2), None).has_next());
        assert!(!Page::<u32>::new(vec![], 1, Some(9), Some(99)).has_next());
        assert!(
            Page::new(vec![1, 2], 1, None, Some(3))
                .with_page_size(Some(2))
                .has_next()
        );
        assert!(
            !Page::new(vec![3], 2, None, Some(3))
                .with_page_size(Some(2))
                .has_next()
        );
        // A total count without a page size says nothing about the end.
        assert!(Page::new(vec![1], 1, None, Some(1)).has_next());
        assert!(
            !Page::new(vec![1], 1, None, None)
                .with_page_size(Some(2))
                .has_next()
        );
        assert!(
            Page::new(vec![1], u32::MAX, None, Some(u64::MAX))
                .with_page_size(Some(1))
                .has_next()
        );
    }
}
