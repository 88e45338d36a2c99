//! Pages, and streams that walk every page.

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
            total_pages,
            total_count,
        }
    }

    /// Whether a later page exists.
    pub fn has_next(&self) -> bool {
        match self.total_pages {
            Some(total) => self.page < total,
            // Without a page count, an empty page is the end.
            None => !self.items.is_empty(),
        }
    }
}

/// Walks pages from `first`, calling `fetch(page)` for each, and yields every
/// item. It stops after the last page, or at the first error (which it yields).
///
/// ```
/// use futures_util::TryStreamExt;
/// use walletbridge_core::pagination::{paginate, Page};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let items: Vec<u32> = paginate(1, |p| async move {
///     Ok(Page::new(vec![p * 10, p * 10 + 1], p, Some(3), None))
/// })
/// .try_collect()
/// .await
/// .unwrap();
/// assert_eq!(items, [10, 11, 20, 21, 30, 31]);
/// # });
/// ```
pub fn paginate<T, F, Fut>(first: u32, fetch: F) -> impl Stream<Item = Result<T>>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    stream::try_unfold((Some(first), fetch), |(next, mut fetch)| async move {
        let Some(page_no) = next else {
            return Ok::<_, crate::Error>(None);
        };
        let page = fetch(page_no).await?;
        let next = page.has_next().then(|| page_no + 1);
        Ok(Some((page.items, (next, fetch))))
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
        let items: Vec<u32> = paginate(1, |p| {
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
        let got: Vec<Result<u32>> = paginate(1, |p| async move {
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
        let items: Vec<u32> = paginate(1, |p| async move {
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
}
