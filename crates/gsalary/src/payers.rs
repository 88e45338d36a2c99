//! 付款人管理 (payers) and attachments.
