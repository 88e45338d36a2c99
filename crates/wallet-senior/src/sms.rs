//! 短信 (SMS): finishing a collect, recharge or withdraw whose answer asked
//! for an SMS code ([`NextStep::SmsCode`](crate::NextStep::SmsCode)),
//! `client.sms()`.
//!
//! | operation | call |
//! |---|---|
//! | 高级钱包-短信确认 | [`SmsHandler::confirm`] (`sms_confirm`) |
//! | 高级钱包-重发短信 | [`SmsHandler::resend`] (`sms_retry`) |
//!
//! Both take the answer's ticket; build the requests from the
//! [`SmsChallenge`](crate::models::SmsChallenge) the answer carries.

use std::fmt;

use walletbridge_core::Result;

use crate::client::{Client, check};
use crate::endpoints::{SMS_CONFIRM, SMS_RETRY};
use crate::models::Ticket;
use crate::validate;

/// The SMS confirmation (短信确认): the code the payer received, for a ticket.
/// `Debug` hides the code and the ticket. Under the `server` feature it
/// also deserializes from the form the client sends.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct ConfirmSms {
    /// The payer's IP address (required).
    pub customer_ip: String,
    /// The business ticket of the answer that asked for the code.
    pub ticket: Ticket,
    /// The code (短信验证码).
    pub verify_code: String,
}

impl ConfirmSms {
    /// Confirms `ticket` with `verify_code`, from `customer_ip`.
    pub fn new(
        ticket: impl Into<Ticket>,
        verify_code: impl Into<String>,
        customer_ip: impl Into<String>,
    ) -> Self {
        Self {
            customer_ip: customer_ip.into(),
            ticket: ticket.into(),
            verify_code: verify_code.into(),
        }
    }

    fn validate(&self) -> Result<()> {
        validate::required("customer_ip", &self.customer_ip)?;
        validate::ip("customer_ip", &self.customer_ip)?;
        validate::required("ticket", self.ticket.as_str())?;
        validate::required("verify_code", &self.verify_code)
    }
}

impl fmt::Debug for ConfirmSms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfirmSms")
            .field("customer_ip", &self.customer_ip)
            .field("ticket", &self.ticket)
            .field("verify_code", &"[REDACTED]")
            .finish()
    }
}

/// Sends the SMS code of a ticket again (重发短信). Under the `server`
/// feature it also deserializes from the form the client sends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct ResendSms {
    /// The business ticket of the answer that asked for the code.
    pub ticket: Ticket,
}

impl ResendSms {
    /// Resends the code of `ticket`.
    pub fn new(ticket: impl Into<Ticket>) -> Self {
        Self {
            ticket: ticket.into(),
        }
    }

    fn validate(&self) -> Result<()> {
        validate::required("ticket", self.ticket.as_str())
    }
}

/// SMS confirmation: `client.sms()`.
#[derive(Debug, Clone, Copy)]
pub struct SmsHandler<'a> {
    client: &'a Client,
}

impl Client {
    /// SMS confirmation (短信确认) and resending (重发短信).
    pub fn sms(&self) -> SmsHandler<'_> {
        SmsHandler { client: self }
    }
}

impl SmsHandler<'_> {
    /// `sms_confirm` (短信确认): finishes the payment the ticket belongs to.
    /// The server only acknowledges it; query the order for its result.
    ///
    /// Never repeated by the SDK: it confirms a payment. When the error
    /// [`is_outcome_unknown`](walletbridge_core::Error::is_outcome_unknown),
    /// query the order before confirming again.
    pub async fn confirm(&self, request: &ConfirmSms) -> Result<()> {
        check(SMS_CONFIRM, request.validate())?;
        let call = self
            .client
            .call(SMS_CONFIRM)
            .field("customer_ip", &request.customer_ip)
            .field("ticket", request.ticket.as_str())
            .field("verify_code", &request.verify_code);
        self.client.send_ack(call).await
    }

    /// `sms_retry` (重发短信): sends the code again. Not repeated by the SDK
    /// either (each repeat would text the payer again).
    pub async fn resend(&self, request: &ResendSms) -> Result<()> {
        check(SMS_RETRY, request.validate())?;
        let call = self
            .client
            .call(SMS_RETRY)
            .field("ticket", request.ticket.as_str());
        self.client.send_ack(call).await
    }
}
