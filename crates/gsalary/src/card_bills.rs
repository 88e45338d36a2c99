//! 卡交易/余额变更 (card bills): card transactions and balance history.
