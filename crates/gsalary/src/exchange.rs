//! 换汇 (exchange): quotes, rates, orders.
