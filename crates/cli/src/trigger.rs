//! `walletbridge trigger`: a realistic, correctly signed webhook (GSalary) or
//! notification (Adapay), signed with the sandbox platform key, posted to the
//! user's own endpoint.

use std::path::Path;

use walletbridge::adapay::webhooks::{NotificationForm, sign_notification};
use walletbridge::core::{
    Clock as _, HashAlgorithm, HttpRequest, IdSource as _, Method, RandomIds, RsaPrivateKey,
    RsaSigner, SystemClock,
};
use walletbridge::gsalary::webhooks::sign_webhook;

use crate::Ctx;
use crate::cli::{TriggerArgs, TriggerCmd};
use crate::error::{CliError, CliResult};
use crate::raw::{send, snippet};

/// The sandbox's default GSalary appid.
pub const SANDBOX_GSALARY_APPID: &str = "sandbox-gsalary-appid";
/// The sandbox's default Adapay app_id.
pub const SANDBOX_ADAPAY_APP_ID: &str = "app_sandbox";

/// Sends the webhook or notification and prints the answer.
pub async fn run(_ctx: &Ctx, cmd: TriggerCmd) -> CliResult {
    match cmd {
        TriggerCmd::Gsalary(a) => gsalary(&a).await,
        TriggerCmd::Adapay(a) => adapay(&a).await,
    }
}

fn platform_key(dir: &Path, file: &str) -> CliResult<RsaPrivateKey> {
    let path = dir.join(file);
    if !path.is_file() {
        return Err(CliError::usage(format!(
            "no {file} in --state-dir {}: run `walletbridge sandbox --state-dir {}` once to create the sandbox keys",
            dir.display(),
            dir.display()
        )));
    }
    RsaPrivateKey::from_file(&path).map_err(|e| CliError::from(e).context("--state-dir"))
}

fn check_url(url: &str) -> CliResult<&str> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| {
            CliError::usage(format!(
                "--forward-to must be a full http:// or https:// URL: `{url}`"
            ))
        })?;
    Ok(match rest.find('/') {
        Some(i) => &rest[i..],
        None => "/",
    })
}

/// A sample `data` object (JSON text) for a GSalary business type.
pub fn gsalary_sample(business_type: &str, id: &str) -> String {
    let card = format!(r#""card_id":"card_{id}","mask_card_number":"532959******4821""#);
    match business_type {
        "CARD_TRANSACTION" => format!(
            r#"{{"transaction_id":"txn_{id}",{card},"transaction_time":"2024-03-04T10:00:00Z","transaction_amount":{{"currency":"USD","amount":12.50}},"accounting_amount":{{"currency":"USD","amount":12.50}},"surcharge":{{"currency":"USD","amount":0.00}},"biz_type":"CONSUME","status":"SUCCESS","merchant_name":"SANDBOX COFFEE"}}"#
        ),
        "CARD_STATUS_UPDATE" => {
            format!(r#"{{{card},"status":"FROZEN","card_holder_id":"holder_{id}"}}"#)
        }
        "THREE_DS_VERIFICATION_CODE" | "CARD_TOKEN_OTP_CODE" | "CARD_VERIFICATION_CODE" => {
            format!(r#"{{{card},"merchant_name":"SANDBOX COFFEE","code":"123456"}}"#)
        }
        "CARD_ACTIVATION_CODE" => format!(r#"{{{card},"activation_code":"A1B2C3"}}"#),
        "CARD_PIN_RETRY_LIMIT" => format!("{{{card}}}"),
        "PAYEE_ACCOUNT_ACTIVE" => format!(
            r#"{{"payee_id":"payee_{id}","account_id":"acct_{id}","payment_method":"BANK"}}"#
        ),
        "PAYEE_DEACTIVATED" => format!(r#"{{"deactivate_payee_id":"payee_{id}"}}"#),
        "REMITTANCE_FAIL" | "REMITTANCE_COMPLETE" | "REMITTANCE_REVERSE" => {
            let status = match business_type {
                "REMITTANCE_FAIL" => "FAILED",
                "REMITTANCE_COMPLETE" => "SUCCESS",
                _ => "REVERSED",
            };
            format!(
                r#"{{"order_id":"order_{id}","client_order_id":"client_{id}","request_id":"req_{id}","status":"{status}"}}"#
            )
        }
        t if t.starts_with("ACQUIRING_") => format!(
            r#"{{"payment_request_id":"pay_{id}","payment_id":"acq_{id}","payment_amount":{{"currency":"USD","amount":25.00}},"status":"{}"}}"#,
            if t.ends_with("FAILED") {
                "FAIL"
            } else {
                "SUCCESS"
            }
        ),
        _ => "{}".to_owned(),
    }
}

async fn gsalary(a: &TriggerArgs) -> CliResult {
    let business_type = a.event_type.trim().to_ascii_uppercase();
    if business_type.is_empty() {
        return Err(CliError::usage("BUSINESS_TYPE is empty"));
    }
    let path = check_url(&a.forward_to)?;
    let key = platform_key(&a.state_dir, "gsalary-platform-private.pem")?;
    let signer = RsaSigner::new(&key, HashAlgorithm::Sha256)?;
    let appid = a.app_id.as_deref().unwrap_or(SANDBOX_GSALARY_APPID);
    let id = RandomIds.next_id();
    let now = SystemClock.now_millis();
    let event_time = walletbridge::core::date::from_unix_seconds(now / 1000)
        .map(walletbridge::core::date::format_iso8601)
        .unwrap_or_default();
    let body = format!(
        r#"{{"business_type":"{business_type}","event_time":"{event_time}","business_id":"{id}","data":{}}}"#,
        gsalary_sample(&business_type, &id[..12])
    );
    let headers = sign_webhook(&signer, appid, path, now, body.as_bytes())?;
    let mut req = HttpRequest::new(Method::Post, a.forward_to.clone());
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let req = req.body(body.clone().into_bytes());
    eprintln!(
        "POST {} {business_type} business_id {id} (signed for appid {appid} over path {path})",
        a.forward_to
    );
    let resp = send(req).await?;
    answer(
        resp.status,
        &resp.body,
        "retried by GSalary: answer HTTP 200",
    )
}

/// A sample notification `(object, data JSON text)` for an Adapay type.
pub fn adapay_sample(event_type: &str, id: &str, app_id: &str, created: i64) -> (String, String) {
    let (object, outcome) = event_type
        .split_once('.')
        .unwrap_or((event_type, "succeeded"));
    let status = if outcome == "failed" {
        "failed"
    } else {
        "succeeded"
    };
    let error = if status == "failed" {
        r#","error_code":"channel_unknown_error","error_msg":"the bank refused the transfer","error_type":"channel_error""#
    } else {
        ""
    };
    let data = match object {
        "cash" => format!(
            r#"{{"id":"{id}","object":"cash","app_id":"{app_id}","created_time":"{created}","prod_mode":"false","order_no":"cash_{created}","cash_type":"T1","cash_amt":"10.00","fee_amt":"0.50","real_amt":"9.50","member_id":"0","status":"{status}"{error}}}"#
        ),
        "refund" => format!(
            r#"{{"id":"{id}","object":"refund","app_id":"{app_id}","created_time":"{created}","prod_mode":"false","refund_order_no":"refund_{created}","payment_id":"002112{created}","refund_amt":"5.00","status":"{status}"{error}}}"#
        ),
        _ => format!(
            r#"{{"id":"{id}","object":"{object}","app_id":"{app_id}","created_time":"{created}","prod_mode":"false","order_no":"order_{created}","pay_channel":"alipay","pay_amt":"10.00","currency":"cny","status":"{status}"{error}}}"#
        ),
    };
    (object.to_owned(), data)
}

async fn adapay(a: &TriggerArgs) -> CliResult {
    let event_type = a.event_type.trim().to_ascii_lowercase();
    if !event_type.contains('.') {
        return Err(CliError::usage(format!(
            "TYPE is OBJECT.OUTCOME (cash.succeeded, cash.failed, payment.succeeded, refund.failed...), not `{}`",
            a.event_type
        )));
    }
    check_url(&a.forward_to)?;
    let key = platform_key(&a.state_dir, "adapay-platform-private.pem")?;
    let signer = RsaSigner::new(&key, HashAlgorithm::Sha1)?;
    let app_id = a.app_id.as_deref().unwrap_or(SANDBOX_ADAPAY_APP_ID);
    let created = SystemClock.now_millis() / 1000;
    let id = format!("0021120{created}{}", &RandomIds.next_id()[..10]);
    let (object, data) = adapay_sample(&event_type, &id, app_id, created);
    let form = NotificationForm {
        id: id.clone(),
        event_type: event_type.clone(),
        app_id: app_id.to_owned(),
        object,
        created_time: created.to_string(),
        prod_mode: "false".to_owned(),
        data,
    };
    let body = sign_notification(&signer, &form)?;
    let req = HttpRequest::new(Method::Post, a.forward_to.clone())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body.into_bytes());
    eprintln!(
        "POST {} {event_type} id {id} (signed for app_id {app_id})",
        a.forward_to
    );
    let resp = send(req).await?;
    answer(
        resp.status,
        &resp.body,
        "Adapay would retry: answer HTTP 200",
    )
}

fn answer(status: u16, body: &[u8], hint: &str) -> CliResult {
    println!("HTTP {status} {}", snippet(body));
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(CliError::failure(format!(
            "your endpoint answered HTTP {status}; {hint}"
        )))
    }
}
