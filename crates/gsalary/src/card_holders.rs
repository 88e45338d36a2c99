//! 持卡人 (card holders).
