//! Payers and attachments: requests as sent, data URLs, answers decoded, rules checked before sending.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use httpmock::prelude::*;
use serde_json::json;
use walletbridge_core::{ErrorKind, SignatureProblem};
use walletbridge_gsalary::payees::SubjectType;
use walletbridge_gsalary::payers::{
    Address, Attachment, BusinessScope, CertType, CreatePayer, mime_for_filename,
};

/// The 8-byte PNG signature followed by a tiny IHDR start: enough to be "a png".
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R',
];

fn payer_data() -> serde_json::Value {
    json!({"payer_id": "payer_123456789", "subject_type": "INDIVIDUAL", "first_name": "John", "last_name": "Doe",
           "cert_type": "PASSPORT", "cert_number": "P12345678", "cert_files": ["file_123456789"],
           "birthday": "1991-06-22", "region": "US", "company_name": "", "register_number": "",
           "business_scopes": [],
           "address": {"postcode": "10001", "address": "123 Main St", "city": "New York", "state": "NY", "country": "US"}})
}

fn john() -> CreatePayer {
    CreatePayer::individual()
        .first_name("John")
        .last_name("Doe")
        .birthday("1991-06-22")
        .cert(
            CertType::Passport,
            "P12345678",
            vec!["file_123456789".into()],
        )
        .region("US")
        .address(
            Address::new()
                .postcode("10001")
                .address("123 Main St")
                .city("New York")
                .state("NY")
                .country("US"),
        )
        .build()
        .unwrap()
}

fn acme() -> CreatePayer {
    CreatePayer::enterprise()
        .company_name("Acme Trading 2024")
        .register_number("REG-991")
        .business_scopes(vec![
            BusinessScope::Software,
            BusinessScope::ProfessionalConsulting,
        ])
        .cert(
            CertType::BusinessLicense,
            "BL-7788",
            vec!["file_1".into(), "file_2".into()],
        )
        .region("SG")
        .address(
            Address::new()
                .postcode("018956")
                .address("10 Bayfront Ave")
                .city("Singapore")
                .state("SG")
                .country("SG"),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn upload_from_bytes_snapshot() {
    let a = Attachment::from_bytes("passport.png", PNG);
    let (req, up) = capture(json!({"file_id": "file_123456789"}), |c| async move {
        c.payers().upload_attachment(&a).await
    })
    .await;
    insta::assert_snapshot!("attachment_upload_bytes", req);
    assert!(
        req.contains(r#""base64":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==""#),
        "{req}"
    );
    assert_eq!(up.file_id, "file_123456789");
}

#[tokio::test]
async fn upload_from_a_file_snapshot() {
    let dir = std::env::temp_dir().join(format!("wb-gsalary-attach-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ID Card.JPG");
    std::fs::write(
        &path,
        [0xffu8, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F'],
    )
    .unwrap();
    let a = Attachment::from_path(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(a.filename, "ID Card.JPG");
    let (req, _) = capture(json!({"file_id": "file_2"}), |c| async move {
        c.payers().upload_attachment(&a).await
    })
    .await;
    insta::assert_snapshot!("attachment_upload_file", req);
    assert!(
        req.contains(
            r#""filename":"ID Card.JPG","base64":"data:image/jpeg;base64,/9j/4AAQSkZJRg==""#
        ),
        "{req}"
    );
}

#[tokio::test]
async fn mime_types_inferred_overridden_or_refused() {
    assert_eq!(mime_for_filename("a.jpeg"), Some("image/jpeg"));
    assert_eq!(mime_for_filename("A.PNG"), Some("image/png"));
    assert_eq!(mime_for_filename("scan.pdf"), None);
    assert_eq!(mime_for_filename("noext"), None);

    let a = Attachment::from_bytes("scan.pdf", b"%PDF-1.4".to_vec()).mime_type("application/pdf");
    assert_eq!(
        a.data_url().unwrap(),
        "data:application/pdf;base64,JVBERi0xLjQ="
    );
    // the override wins over the extension
    let a = Attachment::from_bytes("photo.png", PNG).mime_type("image/webp");
    assert!(a.data_url().unwrap().starts_with("data:image/webp;base64,"));
    // Debug shows no bytes
    assert!(format!("{a:?}").contains("len: 16"));

    let transport = signed_transport(200, ok_body(json!({"file_id": "f"})));
    let client = client_with(transport.clone());
    let validation = |e: walletbridge_core::Error| match e.kind() {
        ErrorKind::Validation { field, rule } => (field.clone(), rule.clone()),
        other => panic!("not a validation error: {other}"),
    };
    let (field, rule) = validation(
        client
            .payers()
            .upload_attachment(&Attachment::from_bytes("scan.tiff", PNG))
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "filename");
    assert!(
        rule.contains("cannot infer the file type of `scan.tiff`"),
        "{rule}"
    );
    let (field, rule) = validation(
        client
            .payers()
            .upload_attachment(&Attachment::from_bytes("empty.png", Vec::new()))
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "base64");
    assert!(rule.contains("empty"), "{rule}");
    let (field, _) = validation(
        client
            .payers()
            .upload_attachment(&Attachment::from_bytes("x.png", PNG).mime_type("png"))
            .await
            .unwrap_err(),
    );
    assert_eq!(field, "mime_type");
    let err = Attachment::from_path("/definitely/not/here.png").unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Validation { field, .. } if field == "path"),
        "{err}"
    );
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn create_payer_snapshot_and_decode() {
    let p = john();
    assert!(
        !format!("{p:?}").contains("P12345678"),
        "certificate numbers stay out of Debug"
    );
    let (req, payer) = capture(payer_data(), |c| async move { c.payers().create(&p).await }).await;
    insta::assert_snapshot!("payer_create", req);
    assert_eq!(payer.payer_id, "payer_123456789");
    assert_eq!(payer.cert_type, Some(CertType::Passport));
    assert_eq!(payer.address.unwrap().city.as_deref(), Some("New York"));
}

#[tokio::test]
async fn create_enterprise_payer_body() {
    let p = acme();
    let (req, _) = capture(payer_data(), |c| async move { c.payers().create(&p).await }).await;
    let body: serde_json::Value =
        serde_json::from_str(req.rsplit("\n\n").next().unwrap().trim()).unwrap();
    assert_eq!(body["subject_type"], "ENTERPRISE");
    assert_eq!(
        body["business_scopes"],
        json!(["SOFTWARE", "PROFESSIONAL_CONSULTING"])
    );
    assert_eq!(body["company_name"], "Acme Trading 2024");
    assert!(body.get("first_name").is_none() && body.get("birthday").is_none());
}

#[tokio::test]
async fn list_payers_snapshot() {
    let data = json!({"payers": [{"payer_id": "payer_1", "subject_type": "INDIVIDUAL", "first_name": "John",
                                  "last_name": "Doe", "region": "US"},
                                 {"payer_id": "payer_2", "subject_type": "PARTNERSHIP",
                                  "business_scopes": ["SOFTWARE", "SPACE_MINING"]}]});
    let (req, payers) = capture(data, |c| async move { c.payers().list().await }).await;
    insta::assert_snapshot!("payers_list", req);
    assert_eq!(payers.len(), 2);
    assert_eq!(
        payers[1].subject_type,
        Some(SubjectType::Other("PARTNERSHIP".into()))
    );
    assert_eq!(
        payers[1].business_scopes[1],
        BusinessScope::Other("SPACE_MINING".into())
    );
}

#[tokio::test]
async fn get_payer_snapshot() {
    let (req, payer) = capture(payer_data(), |c| async move {
        c.payers().get("payer_123456789").await
    })
    .await;
    insta::assert_snapshot!("payer_get", req);
    assert_eq!(payer.cert_number.unwrap().expose(), "P12345678");
}

#[tokio::test]
async fn update_payer_snapshot() {
    let p = acme();
    let (req, _) = capture(payer_data(), |c| async move {
        c.payers().update("payer_123456789", &p).await
    })
    .await;
    insta::assert_snapshot!("payer_update", req);
}

#[tokio::test]
async fn remove_payer_snapshot() {
    let (req, ()) =
        capture_no_data(|c| async move { c.payers().remove("payer_123456789").await }).await;
    insta::assert_snapshot!("payer_remove", req);
}

#[tokio::test]
async fn validation_happens_before_sending() {
    let transport = signed_transport(200, ok_body(payer_data()));
    let client = client_with(transport.clone());
    let field = |e: walletbridge_core::Error| validation_field(&e);
    let mut p = john();
    p.birthday = Some("22/06/1991".into());
    assert_eq!(
        field(client.payers().create(&p).await.unwrap_err()),
        "birthday"
    );
    let mut p = john();
    p.birthday = None;
    assert_eq!(
        field(client.payers().create(&p).await.unwrap_err()),
        "birthday"
    );
    let mut p = john();
    p.region = "USA".into();
    assert_eq!(
        field(client.payers().create(&p).await.unwrap_err()),
        "region"
    );
    let mut p = john();
    p.address.country = Some("us".into());
    assert_eq!(
        field(client.payers().create(&p).await.unwrap_err()),
        "address.country"
    );
    let mut p = john();
    p.cert_files.clear();
    assert_eq!(
        field(client.payers().create(&p).await.unwrap_err()),
        "cert_files"
    );
    let mut p = john();
    p.first_name = Some("Jöhn".into());
    assert_eq!(
        field(client.payers().create(&p).await.unwrap_err()),
        "first_name"
    );
    let mut p = acme();
    p.business_scopes = Some(vec![]);
    assert_eq!(
        field(client.payers().update("payer_1", &p).await.unwrap_err()),
        "business_scopes"
    );
    let mut p = acme();
    p.company_name = Some("Acme & Co".into());
    assert_eq!(
        field(client.payers().create(&p).await.unwrap_err()),
        "company_name"
    );
    assert_eq!(
        field(client.payers().get("").await.unwrap_err()),
        "payer_id"
    );
    assert!(transport.requests().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn http_answers_errors_and_signatures() {
    let server = MockServer::start_async().await;
    let body = ok_body(payer_data());
    let pq = "/v1/remittance/payers/payer_123456789";
    let good = answer_signature(PLATFORM_KEY, "GET", pq, &body);
    let m = mount(&server, GET, pq, 200, &body, Some(&good)).await;
    let payer = client_on(&server)
        .payers()
        .get("payer_123456789")
        .await
        .unwrap();
    assert_eq!(payer.region.as_deref(), Some("US"));
    m.assert_async().await;

    let forged = answer_signature(OTHER_KEY, "GET", pq, &body);
    let tampered = body.replace("P12345678", "P00000000");
    for (answer, sig, problem) in [
        (body.clone(), None, SignatureProblem::Missing),
        (body.clone(), Some(forged), SignatureProblem::Mismatch),
        (tampered, Some(good.clone()), SignatureProblem::Mismatch),
    ] {
        let server = MockServer::start_async().await;
        mount(&server, GET, pq, 200, &answer, sig.as_deref()).await;
        let err = client_on(&server)
            .payers()
            .get("payer_123456789")
            .await
            .unwrap_err();
        assert_signature(&err, problem);
        assert!(!err.is_outcome_unknown(), "a failed read changed nothing");
    }

    let server = MockServer::start_async().await;
    let envelope = r#"{"biz_result":"F","error_code":"NOT_FOUND","message":"no such payer"}"#;
    mount(&server, GET, pq, 404, envelope, None).await;
    let err = client_on(&server)
        .payers()
        .get("payer_123456789")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NOT_FOUND"));
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn upload_post_is_sent_once_and_gateway_html_is_an_http_error() {
    let server = MockServer::start_async().await;
    let page = "<html><body><center><h1>502 Bad Gateway</h1></center></body></html>";
    let m = mount(&server, POST, "/v1/attachments", 502, page, None).await;
    let err = client_for(&server.base_url(), quick_retries(5))
        .payers()
        .upload_attachment(&Attachment::from_bytes("p.png", PNG))
        .await
        .unwrap_err();
    assert_eq!(m.calls_async().await, 1);
    assert_http_error(&err, 502, "Bad Gateway");
    assert!(err.is_outcome_unknown());
}

#[tokio::test]
async fn address_parts_left_empty_are_not_sent() {
    use walletbridge_gsalary::payers::Address;
    let address = Address::new()
        .postcode("")
        .address("123 Main St")
        .city("New York")
        .state("")
        .country("US");
    let body = serde_json::to_string(&address).unwrap();
    assert_eq!(
        body,
        r#"{"address":"123 Main St","city":"New York","country":"US"}"#
    );
    assert!(!body.contains("\"\""), "no empty strings: {body}");
    // the page's example, every part given, is sent whole and in order
    let full = Address::new()
        .postcode("10001")
        .address("123 Main St")
        .city("New York")
        .state("NY")
        .country("US");
    assert_eq!(
        serde_json::to_string(&full).unwrap(),
        r#"{"postcode":"10001","address":"123 Main St","city":"New York","state":"NY","country":"US"}"#
    );
}
