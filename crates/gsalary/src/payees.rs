//! 收款人 (payees) and their accounts.
