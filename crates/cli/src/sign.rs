//! Signature tools: sign and verify exactly as the SDK does, and make keys.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use walletbridge::adapay::signing as adapay_signing;
use walletbridge::core::Clock as _;
use walletbridge::core::encoding::sha256_base64;
use walletbridge::core::webhook::Tolerance;
use walletbridge::core::{
    HashAlgorithm, RsaPrivateKey, RsaPublicKey, RsaSigner, RsaVerifier, SystemClock,
};
use walletbridge::gsalary::signing as gsalary_signing;

use crate::error::{CliError, CliResult, read_file};

/// Loads a private key file, naming the flag on error.
pub fn private_key(path: &Path, flag: &str) -> CliResult<RsaPrivateKey> {
    RsaPrivateKey::from_file(path).map_err(|e| CliError::from(e).context(flag))
}

/// Loads a public key file, naming the flag on error.
pub fn public_key(path: &Path, flag: &str) -> CliResult<RsaPublicKey> {
    RsaPublicKey::from_file(path).map_err(|e| CliError::from(e).context(flag))
}

/// An HTTP method, upper-cased and checked.
pub fn method(m: &str) -> CliResult<String> {
    let up = m.trim().to_ascii_uppercase();
    match up.as_str() {
        "GET" | "POST" | "PUT" | "DELETE" | "PATCH" => Ok(up),
        _ => Err(CliError::usage(format!(
            "--method must be GET, POST, PUT, DELETE or PATCH, not `{}`",
            m.trim()
        ))),
    }
}

/// The path (and query) as signed; `escaped` when given as sent on the wire.
fn signed_path(path: &str, escaped: bool) -> CliResult<String> {
    if !path.starts_with('/') {
        return Err(CliError::usage(format!(
            "--path must start with `/` (the path and query, without scheme and host): `{path}`"
        )));
    }
    Ok(if escaped {
        gsalary_signing::unescaped_path_and_query(path)
    } else {
        path.to_owned()
    })
}

fn body(method: &str, file: Option<&Path>) -> CliResult<Option<Vec<u8>>> {
    let Some(f) = file else { return Ok(None) };
    if matches!(method, "GET" | "DELETE") {
        return Err(CliError::usage(format!(
            "--body-file: a GSalary {method} request carries no body"
        )));
    }
    Ok(Some(read_file(f, "body file")?))
}

/// `walletbridge gsalary sign`.
#[allow(clippy::too_many_arguments)]
pub fn gsalary_sign(
    appid: &str,
    key_file: &Path,
    method_arg: &str,
    path: &str,
    escaped: bool,
    body_file: Option<&Path>,
    timestamp: Option<i64>,
    explain: bool,
) -> CliResult {
    let m = method(method_arg)?;
    let path = signed_path(path, escaped)?;
    let body = body(&m, body_file)?;
    let key = private_key(key_file, "--private-key")?;
    let signer = RsaSigner::new(&key, HashAlgorithm::Sha256)?;
    let ts = timestamp.unwrap_or_else(|| SystemClock.now_millis());
    let header = gsalary_signing::sign(&signer, &m, &path, appid, ts, body.as_deref())?;
    if explain {
        let text = gsalary_signing::signing_string(&m, &path, appid, ts, body.as_deref());
        let hash = match body.as_deref() {
            Some(b) if !b.is_empty() => sha256_base64(b),
            _ => String::new(),
        };
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "string signed (RSA-SHA256, {} bit key), between the lines; every line ends with \\n:",
            key.bits()
        );
        let _ = writeln!(err, "-----");
        let _ = write!(err, "{text}");
        let _ = writeln!(err, "-----");
        if hash.is_empty() {
            let _ = writeln!(err, "body hash: (empty: no body)");
        } else {
            let _ = writeln!(
                err,
                "body hash: {hash}  (base64 of SHA-256 of the body bytes)"
            );
        }
        let _ = writeln!(
            err,
            "headers to send: X-Appid: {appid}  Authorization: <stdout>"
        );
    }
    println!("{header}");
    Ok(())
}

/// `walletbridge gsalary verify`.
#[allow(clippy::too_many_arguments)]
pub fn gsalary_verify(
    appid: &str,
    key_file: &Path,
    method_arg: &str,
    path: &str,
    escaped: bool,
    authorization: &str,
    body_file: Option<&Path>,
    now: Option<i64>,
    ignore_expiry: bool,
) -> CliResult {
    let m = method(method_arg)?;
    let path = signed_path(path, escaped)?;
    let body = match body_file {
        Some(f) => read_file(f, "body file")?,
        None => Vec::new(),
    };
    let key = public_key(key_file, "--public-key")?;
    let verifier = RsaVerifier::new(key, HashAlgorithm::Sha256);
    let signed_at =
        gsalary_signing::verify(&verifier, Some(authorization), &m, &path, appid, &body)
            .map_err(|e| CliError::failure(format!("invalid: {e}")))?;
    if !ignore_expiry {
        let now = now.unwrap_or_else(|| SystemClock.now_millis());
        Tolerance::default().check(signed_at, now).map_err(|e| {
            CliError::failure(format!(
                "invalid: {e} (the signature itself holds; pass --ignore-expiry or --now MILLIS to check it at another time)"
            ))
        })?;
    }
    println!("valid");
    Ok(())
}

/// Parses `k=v`.
pub fn param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
        _ => Err(format!("`{text}` is not KEY=VALUE")),
    }
}

/// The Adapay signing input for a full URL and either a body or parameters.
fn adapay_message(
    url: &str,
    body: Option<&[u8]>,
    params: &[(String, String)],
) -> CliResult<Vec<u8>> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(CliError::usage(format!(
            "--url must be the full URL with scheme and host (https://api.adapay.tech/v1/...): `{url}`"
        )));
    }
    if let Some(b) = body {
        if !params.is_empty() || url.contains('?') {
            return Err(CliError::usage(
                "a POST is signed over the URL and the body: give --body-file without --param or a query",
            ));
        }
        return Ok(adapay_signing::post_signing_string(url, b));
    }
    let (base, mut pairs) = match url.split_once('?') {
        Some((base, q)) => (
            base,
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (k.to_owned(), v.to_owned()),
                    None => (p.to_owned(), String::new()),
                })
                .collect::<Vec<_>>(),
        ),
        None => (url, Vec::new()),
    };
    pairs.extend(params.iter().cloned());
    pairs.retain(|(_, v)| !v.is_empty());
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(
        adapay_signing::get_signing_string(base, &crate::raw::adapay_query_text(&pairs))
            .into_bytes(),
    )
}

/// `walletbridge adapay sign`.
pub fn adapay_sign(
    key_file: &Path,
    url: &str,
    body_file: Option<&Path>,
    params: &[(String, String)],
    explain: bool,
) -> CliResult {
    let body = match body_file {
        Some(f) => Some(read_file(f, "body file")?),
        None => None,
    };
    let message = adapay_message(url, body.as_deref(), params)?;
    let key = private_key(key_file, "--private-key")?;
    let signer = RsaSigner::new(&key, HashAlgorithm::Sha1)?;
    let sig = adapay_signing::sign(&signer, &message)?;
    if explain {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "string signed (RSA-SHA1, {} bit key), between the lines, no line break added:",
            key.bits()
        );
        let _ = writeln!(err, "-----");
        let _ = err.write_all(&message);
        let _ = writeln!(err);
        let _ = writeln!(err, "-----");
        let _ = writeln!(
            err,
            "send it as the `Signature` header (with `Authorization: <api key>`){}",
            if body.is_some() {
                ", and the body byte for byte"
            } else {
                "; the sorted parameters go in the query string as signed"
            }
        );
    }
    println!("{sig}");
    Ok(())
}

/// `walletbridge adapay verify`.
pub fn adapay_verify(key_file: Option<&Path>, data_file: &Path, signature: &str) -> CliResult {
    let data = read_file(data_file, "data file")?;
    let key = match key_file {
        Some(f) => public_key(f, "--public-key")?,
        None => RsaPublicKey::parse(walletbridge::adapay::config::DEFAULT_PLATFORM_PUBLIC_KEY)?,
    };
    let verifier = RsaVerifier::new(key, HashAlgorithm::Sha1);
    if let Err(e) = adapay_signing::verify(&verifier, &data, Some(signature)) {
        let mut msg = format!("invalid: {e}");
        if data.ends_with(b"\n")
            && adapay_signing::verify(&verifier, data.trim_ascii_end(), Some(signature)).is_ok()
        {
            msg.push_str(
                " (it holds without the line break at the end of the data file: the signed data has none; was it added by an editor?)",
            );
        }
        return Err(CliError::failure(msg));
    }
    println!("valid");
    Ok(())
}

/// `walletbridge gsalary keygen`.
pub fn keygen(out_dir: &Path, bits: usize, force: bool) -> CliResult {
    use rsa::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
    if !(2048..=8192).contains(&bits) || !bits.is_multiple_of(8) {
        return Err(CliError::usage(format!(
            "--bits must be a multiple of 8 from 2048 to 8192 (GSalary asks for 4096), not {bits}"
        )));
    }
    std::fs::create_dir_all(out_dir).map_err(|e| {
        CliError::usage(format!(
            "cannot create --out-dir {}: {e}",
            out_dir.display()
        ))
    })?;
    let private_path = out_dir.join("private_key.pem");
    let public_path = out_dir.join("public_key.pem");
    for p in [&private_path, &public_path] {
        if p.exists() && !force {
            return Err(CliError::usage(format!(
                "{} exists; pass --force to replace it",
                p.display()
            )));
        }
    }
    let progress = crate::progress::spinner(&format!("generating an RSA-{bits} key pair"));
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, bits)
        .map_err(|e| CliError::failure(format!("key generation failed: {e}")))?;
    let private_pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| CliError::failure(format!("cannot encode the private key: {e}")))?;
    let public_pem = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| CliError::failure(format!("cannot encode the public key: {e}")))?;
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    // The SDK must read back what was written.
    let parsed = RsaPrivateKey::parse(&private_pem)?;
    RsaPublicKey::parse(&public_pem)?;
    write_private(&private_path, private_pem.as_bytes())?;
    std::fs::write(&public_path, public_pem.as_bytes())
        .map_err(|e| CliError::usage(format!("cannot write {}: {e}", public_path.display())))?;
    println!(
        "private key (PKCS#8 PEM, {} bits): {}",
        parsed.bits(),
        private_path.display()
    );
    println!(
        "public key  (SPKI PEM):             {}",
        public_path.display()
    );
    println!(
        "Upload the public key to the GSalary portal; keep the private key secret (GSALARY_PRIVATE_KEY)."
    );
    Ok(())
}

fn write_private(path: &PathBuf, bytes: &[u8]) -> CliResult {
    let fail = |e: std::io::Error| CliError::usage(format!("cannot write {}: {e}", path.display()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)
            .map_err(fail)?;
        f.write_all(bytes).map_err(fail)?;
    }
    #[cfg(not(unix))]
    std::fs::write(path, bytes).map_err(fail)?;
    Ok(())
}
