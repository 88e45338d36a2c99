//! Webhooks: verify GSalary notifications and decode them into typed events.
