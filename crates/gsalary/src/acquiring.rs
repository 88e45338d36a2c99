//! 收单 (acquiring): payment sessions, token payments, cancel.
