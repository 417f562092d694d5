//! `[session]` of `service.toml` checked against the login action's
//! tables: the action exists and is signed (a login cannot need the token
//! it gets), the token and its expiry are where the reply has them, and
//! each `Login` constructor gives every input the action requires.

use crate::diagnostic::Diagnostic;
use crate::ir::{self, Auth, Field, Type};
use crate::service::ServiceConfig;
use crate::source::Span;
use toml::Spanned;

/// The IR session, or `None` (with errors) when the settings do not fit
/// the pages.
pub(super) fn resolve(
    service: &ServiceConfig,
    actions: &[ir::Action],
    structs: &[ir::Struct],
    diags: &mut Vec<Diagnostic>,
) -> Option<ir::Session> {
    let s = service.session.as_ref()?;
    let file = service.file?;
    let at = |span: std::ops::Range<usize>| Span::new(file, span);
    let mut error = |span: std::ops::Range<usize>, message: String| {
        diags.push(Diagnostic::error("session", message).at(at(span)));
    };
    let login: Vec<&ir::Action> = actions
        .iter()
        .filter(|a| a.name == *s.login.get_ref())
        .collect();
    let a = match login.as_slice() {
        [one] => *one,
        [] => {
            error(
                s.login.span(),
                format!(
                    "no page documents `{}`, the login action",
                    s.login.get_ref()
                ),
            );
            return None;
        }
        _ => {
            error(
                s.login.span(),
                format!(
                    "`{}` has sub-commands: the login is one action",
                    s.login.get_ref()
                ),
            );
            return None;
        }
    };
    if a.auth != Auth::Signed {
        error(
            s.login.span(),
            format!(
                "`{}` is a token call: a login cannot need the token it gets",
                a.name
            ),
        );
        return None;
    }
    let token = path(
        &s.token,
        &a.outputs,
        structs,
        &mut error,
        |t| *t == Type::String,
        "text",
    );
    // Every problem is reported before giving up.
    let expires_at = s.expires_at.as_ref().map(|p| {
        path(
            p,
            &a.outputs,
            structs,
            &mut error,
            |t| matches!(t, Type::I64 | Type::U64),
            "an integer",
        )
    });
    let mut logins = Vec::new();
    for form in &s.logins {
        let input =
            |name: &Spanned<String>| a.inputs.iter().find(|f| f.api_name == *name.get_ref());
        let mut ok = true;
        let mut given: Vec<&str> = Vec::new();
        let mut args = Vec::new();
        for arg in &form.args {
            match input(arg) {
                Some(f) => {
                    given.push(&f.api_name);
                    args.push(f.rust_name.clone());
                }
                None => {
                    error(
                        arg.span(),
                        format!("`{}` has no input `{}`", a.name, arg.get_ref()),
                    );
                    ok = false;
                }
            }
        }
        let mut set = Vec::new();
        for (name, value) in &form.set {
            match input(name) {
                Some(f) if f.ty == Type::String && !given.contains(&f.api_name.as_str()) => {
                    given.push(&f.api_name);
                    set.push((f.rust_name.clone(), value.get_ref().clone()));
                }
                Some(f) if f.ty != Type::String => {
                    error(
                        name.span(),
                        format!(
                            "`{}` is not text: only text inputs can be set to a constant",
                            f.api_name
                        ),
                    );
                    ok = false;
                }
                Some(f) => {
                    error(
                        name.span(),
                        format!("`{}` is both taken and set", f.api_name),
                    );
                    ok = false;
                }
                None => {
                    error(
                        name.span(),
                        format!("`{}` has no input `{}`", a.name, name.get_ref()),
                    );
                    ok = false;
                }
            }
        }
        for f in a
            .inputs
            .iter()
            .filter(|f| f.required && !given.contains(&f.api_name.as_str()))
        {
            error(
                form.name.span(),
                format!(
                    "`Login::{}` does not give `{}`, which `{}` requires",
                    form.name.get_ref(),
                    f.api_name,
                    a.name
                ),
            );
            ok = false;
        }
        if ok {
            logins.push(ir::LoginForm {
                name: form.name.get_ref().clone(),
                args,
                set,
            });
        }
    }
    if logins.len() != s.logins.len() {
        return None;
    }
    let expires_at = match expires_at {
        Some(p) => Some(p?),
        None => None,
    };
    Some(ir::Session {
        login: a.method.clone(),
        token: token?,
        expires_at,
        invalid_token_codes: s
            .invalid_token_codes
            .iter()
            .map(|c| c.get_ref().clone())
            .collect(),
        logins,
    })
}

/// The Rust field names along a `Data.Token` path of the login's reply;
/// each step but the last is a structure, the last of the wanted type.
fn path(
    p: &Spanned<String>,
    outputs: &[Field],
    structs: &[ir::Struct],
    error: &mut dyn FnMut(std::ops::Range<usize>, String),
    wanted: impl Fn(&Type) -> bool,
    what: &str,
) -> Option<Vec<String>> {
    let mut fields = outputs;
    let mut out = Vec::new();
    let parts: Vec<&str> = p.get_ref().split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let Some(f) = fields.iter().find(|f| f.api_name == *part) else {
            error(
                p.span(),
                format!("the login's reply has no `{part}` along `{}`", p.get_ref()),
            );
            return None;
        };
        out.push(f.rust_name.clone());
        if i + 1 == parts.len() {
            if !wanted(&f.ty) {
                error(p.span(), format!("`{}` is not {what}", p.get_ref()));
                return None;
            }
            break;
        }
        let Type::Struct { name, .. } = &f.ty else {
            error(
                p.span(),
                format!("`{part}` along `{}` is not a structure", p.get_ref()),
            );
            return None;
        };
        fields = &structs.iter().find(|x| x.rust_name == *name)?.fields;
    }
    Some(out)
}
