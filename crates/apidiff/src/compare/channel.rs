//! The WebSocket channel: `Client::device_changes` and the enums of its
//! changes. The enums are `#[non_exhaustive]` with an `Unknown` fallback,
//! so a new value is compatible and a removed one breaks the callers that
//! match on it.

use super::Out;
use crate::ChangeKind;
use crate::Impact;
use crate::render::code;
use apidoc::ir::{Channel, WireEnum};

pub(crate) fn changes(old: Option<&Channel>, new: Option<&Channel>, out: &mut Out) {
    let kind = ChangeKind::ChannelChanged;
    let (o, n) = match (old, new) {
        (None, None) => return,
        (None, Some(_)) => {
            out.push(
                kind,
                Impact::Compatible,
                "device_changes",
                "new: live device changes over the WebSocket channel (`Client::device_changes`)",
            );
            return;
        }
        (Some(_), None) => {
            out.push(
                kind,
                Impact::Breaking,
                "device_changes",
                "`Client::device_changes` and the channel's types no longer exist",
            );
            return;
        }
        (Some(o), Some(n)) => (o, n),
    };
    let Channel {
        endpoint: _,
        url,
        heartbeat,
        messages: _,
        enums,
        examples: _,
    } = n;
    // Like the base URL: a client that worked may now talk to another
    // server, or send another heartbeat.
    if o.url != *url {
        out.push(
            kind,
            Impact::Breaking,
            "device_changes",
            format!(
                "the default channel URL is {} (was {})",
                code(url),
                code(&o.url)
            ),
        );
    }
    if o.heartbeat != *heartbeat {
        out.push(
            kind,
            Impact::Breaking,
            "device_changes",
            format!(
                "the heartbeat calls {} (was {})",
                code(heartbeat),
                code(&o.heartbeat)
            ),
        );
    }
    for e in &o.enums {
        match enums
            .iter()
            .find(|x| x.member == e.member && x.message == e.message)
        {
            None => out.push(
                kind,
                Impact::Breaking,
                &e.rust_name,
                format!("removed: `{}` is no longer a documented list", e.member),
            ),
            Some(x) if x.rust_name != e.rust_name => out.push(
                kind,
                Impact::Breaking,
                &e.rust_name,
                format!("renamed to {}", code(&x.rust_name)),
            ),
            Some(x) => values(e, x, out),
        }
    }
    for x in enums.iter().filter(|x| {
        !o.enums
            .iter()
            .any(|e| e.member == x.member && e.message == x.message)
    }) {
        out.push(kind, Impact::Compatible, &x.rust_name, "new value list");
    }
}

fn values(old: &WireEnum, new: &WireEnum, out: &mut Out) {
    let kind = ChangeKind::ChannelChanged;
    for v in &old.values {
        match new.values.iter().find(|x| x.wire == v.wire) {
            None => out.push(
                kind,
                Impact::Breaking,
                &new.rust_name,
                format!(
                    "variant {} removed (the value is read as `Unknown`)",
                    code(&v.variant)
                ),
            ),
            Some(x) if x.variant != v.variant => out.push(
                kind,
                Impact::Breaking,
                &new.rust_name,
                format!(
                    "variant {} renamed to {}",
                    code(&v.variant),
                    code(&x.variant)
                ),
            ),
            Some(x) if x.doc != v.doc => out.push(
                ChangeKind::DocChanged,
                Impact::Documentation,
                &new.rust_name,
                format!("the description of {} changed", code(&v.variant)),
            ),
            Some(_) => {}
        }
    }
    for x in new
        .values
        .iter()
        .filter(|x| !old.values.iter().any(|v| v.wire == x.wire))
    {
        out.push(
            kind,
            Impact::Compatible,
            &new.rust_name,
            format!("new variant {}", code(&x.variant)),
        );
    }
}
