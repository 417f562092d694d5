//! The session: whether the client can log in by itself, and the
//! `Login` constructors callers write.

use super::Out;
use crate::{ChangeKind, Impact};
use apidoc::ir::Session;

/// `Login` and its constructors: a constructor removed or taking other
/// parameters breaks its callers; where the token is read from only
/// changes what the client does.
pub(super) fn session_changes(old: Option<&Session>, new: Option<&Session>, out: &mut Out) {
    let subject = "Login";
    match (old, new) {
        (None, None) => {}
        (None, Some(_)) => out.push(
            ChangeKind::SessionChanged,
            Impact::Compatible,
            subject,
            "new: the client can log in by itself (`ClientBuilder::login(Login::..)`)",
        ),
        (Some(_), None) => out.push(
            ChangeKind::SessionChanged,
            Impact::Breaking,
            subject,
            "`Login` no longer exists: the client cannot log in by itself",
        ),
        (Some(o), Some(n)) => {
            let Session {
                login,
                token,
                expires_at,
                invalid_token_codes,
                logins,
            } = n;
            for f in &o.logins {
                match logins.iter().find(|x| x.name == f.name) {
                    None => out.push(
                        ChangeKind::SessionChanged,
                        Impact::Breaking,
                        subject,
                        format!("`Login::{}` removed", f.name),
                    ),
                    Some(x) if x.args != f.args => out.push(
                        ChangeKind::SessionChanged,
                        Impact::Breaking,
                        subject,
                        format!(
                            "`Login::{}` takes other parameters: ({}) instead of ({})",
                            f.name,
                            x.args.join(", "),
                            f.args.join(", ")
                        ),
                    ),
                    Some(x) if x.set != f.set => out.push(
                        ChangeKind::SessionChanged,
                        Impact::Compatible,
                        subject,
                        format!("`Login::{}` sends other constant inputs", f.name),
                    ),
                    Some(_) => {}
                }
            }
            for f in logins
                .iter()
                .filter(|x| !o.logins.iter().any(|f| f.name == x.name))
            {
                out.push(
                    ChangeKind::SessionChanged,
                    Impact::Compatible,
                    subject,
                    format!("new constructor `Login::{}`", f.name),
                );
            }
            if o.login != *login
                || o.token != *token
                || o.expires_at != *expires_at
                || o.invalid_token_codes != *invalid_token_codes
            {
                out.push(
                    ChangeKind::SessionChanged,
                    Impact::Compatible,
                    subject,
                    "the login action, where its reply has the token, or the codes that refuse a token changed",
                );
            }
        }
    }
}
