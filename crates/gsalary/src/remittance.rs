//! 对外付款 (remittance): clearing networks, quotes, orders.
