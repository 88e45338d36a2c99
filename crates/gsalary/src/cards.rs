//! 卡 (cards): quotas, products, applications, cards, balance, freeze, contact, physical cards, PIN.
