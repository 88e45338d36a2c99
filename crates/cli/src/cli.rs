//! The command line, declared with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::Shell;

const ROOT_EXAMPLES: &str = "\
Examples:
  walletbridge demo                                   # every provider end to end, offline
  walletbridge sandbox --print-env                    # a local simulator of all four providers
  walletbridge gsalary balance --currency USD         # configured from GSALARY_* variables
  walletbridge --profile sandbox adapay balance --json
  walletbridge gsalary sign --appid APPID --private-key key.pem --method GET --path /v1/cards --timestamp 1732241600000

Exit codes: 0 success, 1 provider or verification failure, 2 usage or configuration error.
Config file: ~/.config/walletbridge/config.toml ([profiles.NAME.gsalary], [profiles.NAME.adapay], ...).";

/// The walletbridge command: call, sign, verify and simulate GSalary, Adapay,
/// the senior wallet and the merchant wallet.
#[derive(Debug, Parser)]
#[command(name = "walletbridge", version, after_help = ROOT_EXAMPLES, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Print answers as JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    /// A profile of the config file to take provider settings from.
    #[arg(long, global = true, env = "WALLETBRIDGE_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
    /// The config file (default ~/.config/walletbridge/config.toml).
    #[arg(long, global = true, env = "WALLETBRIDGE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every provider's flagship flow against an in-process sandbox.
    #[command(after_help = "Example:\n  walletbridge demo\n  walletbridge demo --only gsalary")]
    Demo(DemoArgs),
    /// Run the offline simulator of all four providers until Ctrl-C.
    #[command(
        after_help = "Examples:\n  walletbridge sandbox --listen 127.0.0.1:4010 --state-dir .sandbox --print-env\n  walletbridge sandbox --ready-file urls.json &   # then read the base URLs from urls.json"
    )]
    Sandbox(SandboxArgs),
    /// GSalary: calls, raw signed calls, signature tools and keys.
    Gsalary {
        #[command(subcommand)]
        cmd: GsalaryCmd,
    },
    /// Huifu Adapay: balance, draw cash, raw signed calls and signature tools.
    Adapay {
        #[command(subcommand)]
        cmd: AdapayCmd,
    },
    /// The senior wallet server: order lookups.
    WalletSenior {
        #[command(subcommand)]
        cmd: SeniorCmd,
    },
    /// The QQSS merchant wallet: balances, recharge channels, recharge, orders.
    MerchantWallet {
        #[command(subcommand)]
        cmd: MerchantCmd,
    },
    /// Send a correctly signed webhook or notification to your own endpoint.
    Trigger {
        #[command(subcommand)]
        cmd: TriggerCmd,
    },
    /// Print shell completions.
    #[command(
        after_help = "Examples:\n  walletbridge completions bash > ~/.local/share/bash-completion/completions/walletbridge\n  walletbridge completions zsh > \"${fpath[1]}/_walletbridge\""
    )]
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: Shell,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Run only this provider's flow (gsalary, adapay, wallet-senior, merchant-wallet).
    #[arg(long, value_name = "PROVIDER")]
    pub only: Option<String>,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: String,
    /// Where the sandbox keeps its keys and state (default: a fresh temporary directory).
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Write the providers' base URLs as JSON to this file once listening.
    #[arg(long, value_name = "FILE")]
    pub ready_file: Option<PathBuf>,
    /// Print `export K=V` lines pointing each client's from_env() at the sandbox.
    #[arg(long)]
    pub print_env: bool,
}

/// Where the GSalary client's settings come from (each overrides its variable).
#[derive(Debug, Args, Clone, Default)]
pub struct GsalaryConn {
    /// The appid [GSALARY_APPID].
    #[arg(long, value_name = "APPID")]
    pub appid: Option<String>,
    /// The merchant private key file [GSALARY_PRIVATE_KEY].
    #[arg(long, value_name = "FILE")]
    pub private_key: Option<PathBuf>,
    /// The GSalary platform public key file [GSALARY_PLATFORM_PUBLIC_KEY].
    #[arg(long, value_name = "FILE")]
    pub platform_public_key: Option<PathBuf>,
    /// The API base URL [GSALARY_BASE_URL] (default: the test environment).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// Where the Adapay client's settings come from (each overrides its variable).
#[derive(Debug, Args, Clone, Default)]
pub struct AdapayConn {
    /// The app_id [ADAPAY_APP_ID].
    #[arg(long, value_name = "APP_ID")]
    pub app_id: Option<String>,
    /// The merchant private key file [ADAPAY_PRIVATE_KEY].
    #[arg(long, value_name = "FILE")]
    pub private_key: Option<PathBuf>,
    /// The Adapay platform public key file [ADAPAY_PLATFORM_PUBLIC_KEY] (default: Adapay's published key).
    #[arg(long, value_name = "FILE")]
    pub platform_public_key: Option<PathBuf>,
    /// The API base URL [ADAPAY_BASE_URL] (default https://api.adapay.tech).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    // The API key is a secret: it is read from ADAPAY_API_KEY or a profile,
    // never from a flag (flags end up in shell history and `ps`).
}

#[derive(Debug, Subcommand)]
pub enum GsalaryCmd {
    /// Print the Authorization header value for a request.
    #[command(
        after_help = "Example:\n  walletbridge gsalary sign --appid gs_test_appid --private-key merchant.pem \\\n    --method POST --path /v1/exchange/quotes --body-file body.json --timestamp 1732241600000 --explain"
    )]
    Sign(GsSignArgs),
    /// Check an Authorization header (an answer's or a webhook's): prints `valid` or says why not.
    #[command(
        after_help = "Example:\n  walletbridge gsalary verify --appid gs_test_appid --public-key platform.pem --method POST \\\n    --path /gsalary/webhook --body-file body.json --authorization 'algorithm=RSA2,time=...,signature=...' --ignore-expiry"
    )]
    Verify(GsVerifyArgs),
    /// Write a new RSA-4096 key pair (PKCS#8 private, SPKI public PEM).
    #[command(after_help = "Example:\n  walletbridge gsalary keygen --out-dir ./keys")]
    Keygen(KeygenArgs),
    /// Signed GET of any path; prints the verified answer.
    #[command(
        after_help = "Example:\n  walletbridge gsalary get '/v1/wallets/balance?currency=USD'"
    )]
    Get(RawArgs),
    /// Signed POST of any path with a JSON body; prints the verified answer.
    #[command(
        after_help = "Example:\n  walletbridge gsalary post /v1/exchange/quotes --body '{\"sell_currency\":\"USD\",\"buy_currency\":\"HKD\",\"sell_amount\":100}'"
    )]
    Post(RawArgs),
    /// Signed PUT of any path with a JSON body; prints the verified answer.
    #[command(
        after_help = "Example:\n  walletbridge gsalary put /v1/cards/CARD_ID/freeze --body @freeze.json"
    )]
    Put(RawArgs),
    /// Signed DELETE of any path; prints the verified answer.
    #[command(after_help = "Example:\n  walletbridge gsalary delete /v1/cards/CARD_ID")]
    Delete(RawArgs),
    /// The wallet balance in one currency.
    #[command(after_help = "Example:\n  walletbridge gsalary balance --currency USD")]
    Balance {
        /// ISO-4217 currency.
        #[arg(long, default_value = "USD")]
        currency: String,
        #[command(flatten)]
        conn: GsalaryConn,
    },
    /// Wallet transactions (one page).
    #[command(
        after_help = "Example:\n  walletbridge gsalary transactions --currency USD --limit 50"
    )]
    Transactions {
        /// Only this currency.
        #[arg(long)]
        currency: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        conn: GsalaryConn,
    },
    /// One card.
    #[command(after_help = "Example:\n  walletbridge gsalary card CARD_ID")]
    Card {
        /// The card id.
        card_id: String,
        #[command(flatten)]
        conn: GsalaryConn,
    },
    /// Cards (one page).
    #[command(after_help = "Example:\n  walletbridge gsalary cards --card-holder-id HOLDER_ID")]
    Cards {
        /// Only this card holder's cards.
        #[arg(long)]
        card_holder_id: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        conn: GsalaryConn,
    },
    /// One card holder.
    #[command(after_help = "Example:\n  walletbridge gsalary card-holder HOLDER_ID")]
    CardHolder {
        /// The card holder id.
        card_holder_id: String,
        #[command(flatten)]
        conn: GsalaryConn,
    },
    /// Card holders (one page).
    #[command(after_help = "Example:\n  walletbridge gsalary card-holders --limit 50")]
    CardHolders {
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        conn: GsalaryConn,
    },
    /// Remittance orders (one page), or one by --client-order-id / --order-id.
    #[command(
        after_help = "Examples:\n  walletbridge gsalary remittance-orders\n  walletbridge gsalary remittance-orders --client-order-id my-order-42"
    )]
    RemittanceOrders {
        /// Only this GSalary order id.
        #[arg(long)]
        order_id: Option<String>,
        /// Only your order id.
        #[arg(long)]
        client_order_id: Option<String>,
        /// Only this payee's orders.
        #[arg(long)]
        payee_id: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        conn: GsalaryConn,
    },
}

#[derive(Debug, Args, Clone)]
pub struct PageArgs {
    /// The page, from 1.
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    /// Items per page.
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct GsSignArgs {
    /// The appid the request is signed for.
    #[arg(long)]
    pub appid: String,
    /// The merchant private key (PKCS#8 or PKCS#1 PEM, or bare base64).
    #[arg(long, value_name = "FILE")]
    pub private_key: PathBuf,
    /// GET, POST, PUT or DELETE.
    #[arg(long)]
    pub method: String,
    /// The path and query as signed: query values unescaped (`/v1/cards?create_start=2024-03-04T10:00:00+08:00`).
    #[arg(long, value_name = "PATH_WITH_QUERY", allow_hyphen_values = true)]
    pub path: String,
    /// The path is as sent on the request line (percent-escaped): decode the query first, as the server does.
    #[arg(long)]
    pub escaped: bool,
    /// The exact body bytes (POST, PUT).
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// Milliseconds since the epoch (default: now).
    #[arg(long, value_name = "MILLIS")]
    pub timestamp: Option<i64>,
    /// Also print the signed string and the body hash on stderr.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Args)]
pub struct GsVerifyArgs {
    /// The appid the message was signed for.
    #[arg(long)]
    pub appid: String,
    /// The signer's public key (the GSalary platform key for answers and webhooks).
    #[arg(long, value_name = "FILE")]
    pub public_key: PathBuf,
    /// The request's method (POST for webhooks).
    #[arg(long)]
    pub method: String,
    /// The request's path and query (a webhook's callback path), query values unescaped.
    #[arg(long, value_name = "PATH_WITH_QUERY", allow_hyphen_values = true)]
    pub path: String,
    /// The path is as sent on the request line (percent-escaped).
    #[arg(long)]
    pub escaped: bool,
    /// The Authorization header value.
    #[arg(long, value_name = "VALUE", allow_hyphen_values = true)]
    pub authorization: String,
    /// The exact body bytes (answer or webhook body).
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// Check the signed time against this instant (ms) instead of now.
    #[arg(long, value_name = "MILLIS", conflicts_with = "ignore_expiry")]
    pub now: Option<i64>,
    /// Do not check the signed time (the +-5 minute window).
    #[arg(long)]
    pub ignore_expiry: bool,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write private_key.pem and public_key.pem.
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Key size (GSalary asks for 4096).
    #[arg(long, default_value_t = 4096)]
    pub bits: usize,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RawArgs {
    /// The path and query (`/v1/cards?page=1`).
    #[arg(value_name = "PATH")]
    pub path: String,
    /// The JSON body, or @FILE.
    #[arg(long, value_name = "JSON|@FILE")]
    pub body: Option<String>,
    #[command(flatten)]
    pub conn: GsalaryConn,
}

#[derive(Debug, Subcommand)]
pub enum AdapayCmd {
    /// Print the Signature header value for a request.
    #[command(
        after_help = "Examples:\n  walletbridge adapay sign --private-key merchant.pem --url https://api.adapay.tech/v1/cashs --body-file body.json\n  walletbridge adapay sign --private-key merchant.pem --url https://api.adapay.tech/v1/cashs/stat --param app_id=app_x --param order_no=cash_1 --explain"
    )]
    Sign(AdSignArgs),
    /// Check Adapay's signature over an answer's or notification's `data`.
    #[command(
        after_help = "Example:\n  walletbridge adapay verify --public-key platform.pem --data-file data.txt --signature 'BASE64...'"
    )]
    Verify(AdVerifyArgs),
    /// Signed GET of any path; prints the verified `data`.
    #[command(
        after_help = "Example:\n  walletbridge adapay get /v1/cashs/stat --param order_no=cash_1"
    )]
    Get(AdRawArgs),
    /// Signed POST of any path; prints the verified `data`.
    #[command(
        after_help = "Example:\n  walletbridge adapay post /v1/cashs --body '{\"order_no\":\"cash_1\",\"cash_type\":\"T1\",\"cash_amt\":\"0.10\",\"member_id\":\"0\"}'"
    )]
    Post(AdRawArgs),
    /// The merchant's (or a member's) account balance.
    #[command(
        after_help = "Examples:\n  walletbridge adapay balance\n  walletbridge adapay balance --member-id member_1 --settle-account-id 0035172521665088"
    )]
    Balance {
        /// A member's balance instead of the merchant's.
        #[arg(long, requires = "settle_account_id")]
        member_id: Option<String>,
        /// The member's settlement account.
        #[arg(long, requires = "member_id")]
        settle_account_id: Option<String>,
        #[command(flatten)]
        conn: AdapayConn,
    },
    /// Draw cash (取现) to the bound bank card.
    #[command(
        after_help = "Example:\n  walletbridge adapay draw-cash --amount 0.10 --order-no cash_20240101_0001"
    )]
    DrawCash {
        /// The amount in yuan, at most two decimals (`0.10`).
        #[arg(long)]
        amount: String,
        /// Your order number (default: a new one).
        #[arg(long)]
        order_no: Option<String>,
        /// The member drawing cash (`0`: the merchant itself).
        #[arg(long, default_value = "0")]
        member_id: String,
        /// The draw-cash type.
        #[arg(long, default_value = "T1")]
        cash_type: String,
        /// Where Adapay posts the result.
        #[arg(long)]
        notify_url: Option<String>,
        #[command(flatten)]
        conn: AdapayConn,
    },
    /// The state of a draw-cash order.
    #[command(after_help = "Example:\n  walletbridge adapay cash-status cash_20240101_0001")]
    CashStatus {
        /// The order number given to draw-cash.
        order_no: String,
        #[command(flatten)]
        conn: AdapayConn,
    },
}

#[derive(Debug, Args)]
pub struct AdSignArgs {
    /// The merchant private key.
    #[arg(long, value_name = "FILE")]
    pub private_key: PathBuf,
    /// The full URL (https://api.adapay.tech/v1/cashs); a query in it counts as --param.
    #[arg(long, value_name = "FULL_URL")]
    pub url: String,
    /// A POST's exact body bytes.
    #[arg(long, value_name = "FILE", conflicts_with = "param")]
    pub body_file: Option<PathBuf>,
    /// A GET parameter (repeatable); sorted by key, empty values dropped.
    #[arg(long, value_name = "K=V", value_parser = crate::sign::param)]
    pub param: Vec<(String, String)>,
    /// Also print the signed string on stderr.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Args)]
pub struct AdVerifyArgs {
    /// The signer's public key (default: Adapay's published platform key).
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// The exact signed data (an answer's `data` string, a notification's `data` field).
    #[arg(long, value_name = "FILE")]
    pub data_file: PathBuf,
    /// The base64 signature (`signature` of an answer, `sign` of a notification).
    #[arg(long, value_name = "SIG", allow_hyphen_values = true)]
    pub signature: String,
}

#[derive(Debug, Args)]
pub struct AdRawArgs {
    /// The path (`/v1/cashs/stat`).
    #[arg(value_name = "PATH")]
    pub path: String,
    /// A parameter (repeatable): the query of a GET, a body field of a POST.
    #[arg(long, value_name = "K=V", value_parser = crate::sign::param, conflicts_with = "body")]
    pub param: Vec<(String, String)>,
    /// The JSON body of a POST, or @FILE.
    #[arg(long, value_name = "JSON|@FILE")]
    pub body: Option<String>,
    /// Use the wallet page host (ADAPAY_PAGE_URL) instead of the API host.
    #[arg(long)]
    pub page_host: bool,
    #[command(flatten)]
    pub conn: AdapayConn,
}

#[derive(Debug, Subcommand)]
pub enum TriggerCmd {
    /// POST a signed GSalary webhook of BUSINESS_TYPE to your endpoint.
    #[command(
        after_help = "Example:\n  walletbridge trigger gsalary CARD_STATUS_UPDATE --forward-to http://localhost:3000/gsalary/webhook --state-dir .sandbox"
    )]
    Gsalary(TriggerArgs),
    /// POST a signed Adapay notification of TYPE (cash.succeeded...) to your endpoint.
    #[command(
        after_help = "Example:\n  walletbridge trigger adapay cash.succeeded --forward-to http://localhost:3000/adapay/notify --state-dir .sandbox"
    )]
    Adapay(TriggerArgs),
}

#[derive(Debug, Args)]
pub struct TriggerArgs {
    /// The event type.
    #[arg(value_name = "TYPE")]
    pub event_type: String,
    /// Your endpoint's full URL.
    #[arg(long, value_name = "URL")]
    pub forward_to: String,
    /// The sandbox state directory holding the platform keys.
    #[arg(long, value_name = "DIR", default_value = ".walletbridge-sandbox")]
    pub state_dir: PathBuf,
    /// The appid / app_id to sign for (default: the sandbox's).
    #[arg(long)]
    pub app_id: Option<String>,
}

/// Where the senior wallet client's settings come from.
#[derive(Debug, Args, Clone, Default)]
pub struct SeniorConn {
    /// The server's base URL [WALLET_SENIOR_BASE_URL].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    // The access token and the sandbox secret are secrets: read from
    // WALLET_SENIOR_ACCESS_TOKEN / WALLET_SENIOR_SANDBOX_SECRET or a profile.
}

#[derive(Debug, Subcommand)]
pub enum SeniorCmd {
    /// Look a wallet order up by its order number.
    #[command(after_help = "Example:\n  walletbridge wallet-senior order ORDER_NO")]
    Order {
        /// The order number.
        order_no: String,
        #[command(flatten)]
        conn: SeniorConn,
    },
}

/// Where the merchant wallet client's settings come from.
#[derive(Debug, Args, Clone, Default)]
pub struct MerchantConn {
    /// The platform's base URL [MERCHANT_WALLET_BASE_URL].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The login name [MERCHANT_WALLET_USERNAME]; the password is read from MERCHANT_WALLET_PASSWORD or a profile.
    #[arg(long, value_name = "NAME")]
    pub username: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MerchantCmd {
    /// The wallet balance (available, frozen, deposit).
    #[command(after_help = "Example:\n  walletbridge merchant-wallet balance")]
    Balance {
        #[command(flatten)]
        conn: MerchantConn,
    },
    /// Total money and today's income.
    #[command(after_help = "Example:\n  walletbridge merchant-wallet total-money --json")]
    TotalMoney {
        #[command(flatten)]
        conn: MerchantConn,
    },
    /// The recharge channels and the fee rate.
    #[command(after_help = "Example:\n  walletbridge merchant-wallet channels")]
    Channels {
        #[command(flatten)]
        conn: MerchantConn,
    },
    /// Create a recharge order; prints its number and payment page.
    #[command(
        after_help = "Example:\n  walletbridge merchant-wallet recharge --amount 100.00 --channel-id 1"
    )]
    Recharge {
        /// The amount, at most two decimals.
        #[arg(long)]
        amount: String,
        /// A channel id (see `channels`).
        #[arg(long)]
        channel_id: i64,
        #[command(flatten)]
        conn: MerchantConn,
    },
    /// Recharge orders (one page).
    #[command(
        after_help = "Example:\n  walletbridge merchant-wallet orders --status paid --limit 50"
    )]
    Orders {
        /// Only orders in this status: unpaid, paid, closed or refunded.
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        conn: MerchantConn,
    },
    /// The public status of a recharge order (no login needed).
    #[command(after_help = "Example:\n  walletbridge merchant-wallet order-status TRADE_NO")]
    OrderStatus {
        /// The order number (trade_no).
        trade_no: String,
        #[command(flatten)]
        conn: MerchantConn,
    },
}
