//! The example of docs/sandbox.md ("Using it in your tests"), kept compiling.

use std::time::Duration;

use rust_decimal::Decimal;
use walletbridge_gsalary::card_holders::CreateCardHolder;
use walletbridge_gsalary::cards::{ApplyCard, ModifyCardBalance, RequestStatus};
use walletbridge_gsalary::models::MobileNumber;
use walletbridge_sandbox::{
    Delays, FaultConfig, FaultKind, FaultRule, Provider, Sandbox, SandboxConfig,
};

#[tokio::test]
async fn issue_a_card_and_survive_a_lost_answer() -> Result<(), Box<dyn std::error::Error>> {
    // In memory, on loopback, ephemeral ports; asynchronous steps complete at the next tick.
    let sandbox = Sandbox::start(SandboxConfig::default().delays(Delays::immediate())).await?;
    let gsalary = sandbox.gsalary_client()?; // signed with the sandbox's merchant key

    let holder = gsalary
        .card_holders()
        .create(
            &CreateCardHolder::builder()
                .first_name("Ada")
                .last_name("Lovelace")
                .birth("1990-01-01")
                .email("ada@example.com")
                .mobile(MobileNumber::new("1", "2025550123"))
                .region("US")
                .build()?,
        )
        .await?;
    let apply = ApplyCard::builder()
        .request_id("my-request-1")
        .product_code("SBX_VISA_USD")
        .currency("USD")
        .card_holder_id(&holder.card_holder_id)
        .init_balance(Decimal::new(5000, 2))
        .build()?;
    assert_eq!(
        gsalary.cards().apply(&apply).await?.status,
        Some(RequestStatus::Pending)
    );

    // Move the sandbox clock instead of sleeping: the application completes.
    sandbox.advance_clock(Duration::from_secs(5))?;
    let card = gsalary
        .cards()
        .apply_result("my-request-1")
        .await?
        .card_detail
        .expect("issued");

    // The answer to a top-up is lost after the sandbox acted on it...
    sandbox.set_faults(
        Provider::Gsalary,
        FaultConfig::none().rule(
            FaultRule::new(FaultKind::ServerError)
                .after_processing()
                .times(1),
        ),
    );
    let lost = gsalary
        .cards()
        .modify_balance(&ModifyCardBalance::increase(
            "top-up-1",
            &card.card_id,
            Decimal::new(1000, 2),
        ))
        .await
        .expect_err("the answer was lost");
    assert!(lost.is_outcome_unknown());
    // ...so look it up instead of sending it again: it happened, once.
    let found = gsalary.cards().balance_modify_result("top-up-1").await?;
    assert_eq!(found.status, Some(RequestStatus::Success));
    assert_eq!(
        gsalary.cards().get(&card.card_id).await?.available_balance,
        Some(Decimal::new(6000, 2))
    );

    sandbox.shutdown().await;
    Ok(())
}
