//! Every classification, asserted by kind and impact, plus snapshots of the
//! renderings of a report that has every kind of change.

use apidiff::{Bump, Change, ChangeKind as K, Impact as I, Report, diff};
use apidoc::ir::{
    Action, Api, Auth, ErrorCode, Example, ExampleKind, Field, FixedParam, Service, Struct, Type,
};
use apidoc::naming;

// ---------------------------------------------------------------------------
// Builders: IR values with defaults, so each test shows only what it changes.

fn api(actions: Vec<Action>) -> Api {
    Api {
        service: Service {
            crate_name: "iot-explorer".into(),
            version: "0.1.0".into(),
            description: "Typed client.".into(),
            default_base_url: "https://iot.cloud.tencent.com/api/exploreropen".into(),
            common_parameters: Default::default(),
            groups: Vec::new(),
        },
        actions,
        structs: vec![],
        error_codes: vec![],
        session: None,
        channel: None,
    }
}

/// An action named as the docs name it; method and types follow the
/// generator's naming rules.
fn action(name: &str) -> Action {
    Action {
        name: name.into(),
        sub_command: None,
        method: naming::snake_case(name),
        type_name: naming::pascal_case(name),
        endpoint: "tokenapi".into(),
        auth: Auth::AccessToken,
        // Lower-cased so that case-only renames do not also change docs.
        doc: format!("Calls {}.", name.to_lowercase()),
        source: format!("{name}.md"),
        other_sources: vec![],
        inputs: vec![],
        outputs: vec![field("RequestId", Type::String)],
        errors: vec![],
        examples: vec![],
        data_wrapper: false,
        group: None,
        pagination: None,
    }
}

/// An optional field.
fn field(api_name: &str, ty: Type) -> Field {
    Field {
        api_name: api_name.into(),
        rust_name: naming::field_ident(api_name),
        ty,
        required: false,
        doc: format!("About {}.", api_name.to_lowercase()),
        sensitive: naming::is_sensitive(api_name),
    }
}

fn required(api_name: &str, ty: Type) -> Field {
    Field {
        required: true,
        ..field(api_name, ty)
    }
}

fn structure(name: &str, fields: Vec<Field>) -> Struct {
    Struct {
        api_name: name.into(),
        rust_name: naming::type_ident(name),
        doc: format!("A {}.", name.to_lowercase()),
        fields,
        groups: Vec::new(),
        input: false,
    }
}

fn error_code(code: &str) -> ErrorCode {
    ErrorCode {
        code: code.into(),
        variant: naming::error_variant(code),
        description: format!("{} happened.", code.to_lowercase()),
    }
}

fn st(name: &str) -> Type {
    Type::Struct {
        name: name.into(),
        boxed: false,
    }
}

/// One action with the given inputs and outputs (besides `RequestId`).
fn with_fields(inputs: Vec<Field>, outputs: Vec<Field>) -> Api {
    let mut a = action("AppGetProducts");
    a.inputs = inputs;
    a.outputs.extend(outputs);
    api(vec![a])
}

fn with_structs(structs: Vec<Struct>) -> Api {
    Api {
        structs,
        ..api(vec![])
    }
}

fn with_codes(codes: Vec<ErrorCode>) -> Api {
    Api {
        error_codes: codes,
        ..api(vec![])
    }
}

/// `(kind, impact)` of every change, in report order.
fn kinds(old: &Api, new: &Api) -> Vec<(K, I)> {
    diff(old, new)
        .changes
        .iter()
        .map(|c| (c.kind, c.impact))
        .collect()
}

/// The one change between `old` and `new`.
fn only(old: &Api, new: &Api) -> Change {
    let report = diff(old, new);
    assert_eq!(
        report.changes.len(),
        1,
        "expected one change:\n{}",
        report.render_text()
    );
    report.changes.into_iter().next().unwrap()
}

fn assert_one(old: &Api, new: &Api, kind: K, impact: I, subject: &str) -> Change {
    let c = only(old, new);
    assert_eq!(
        (c.kind, c.impact, c.subject.as_str()),
        (kind, impact, subject),
        "{}",
        c.detail
    );
    c
}

// ---------------------------------------------------------------------------
// Actions.

#[test]
fn identical_apis_have_no_changes() {
    let a = with_fields(
        vec![required("ProductId", Type::String)],
        vec![field("Total", Type::I64)],
    );
    let report = diff(&a, &a);
    assert!(report.is_empty());
    assert_eq!(report.bump, Bump::None);
    assert_eq!(report.render_text(), "no API changes");
    assert_eq!(report.render_markdown(), "No API changes.\n");
}

#[test]
fn action_added_is_compatible_and_removed_is_breaking() {
    let (old, new) = (api(vec![]), api(vec![action("AppGetProducts")]));
    assert_one(&old, &new, K::ActionAdded, I::Compatible, "AppGetProducts");
    assert_eq!(diff(&old, &new).bump, Bump::Minor);
    assert_one(&new, &old, K::ActionRemoved, I::Breaking, "AppGetProducts");
    assert_eq!(diff(&new, &old).bump, Bump::Major);
}

#[test]
fn a_renamed_method_is_a_remove_and_an_add() {
    let old = api(vec![action("AppGetProducts")]);
    let new = api(vec![action("AppListProducts")]);
    // Sorted by subject: `AppGetProducts` before `AppListProducts`.
    assert_eq!(
        kinds(&old, &new),
        [
            (K::ActionRemoved, I::Breaking),
            (K::ActionAdded, I::Compatible)
        ]
    );
}

#[test]
fn examples_and_source_are_ignored() {
    let old = api(vec![action("AppGetProducts")]);
    let mut a = action("AppGetProducts");
    a.source = "moved/AppGetProducts.md".into();
    a.other_sources = vec!["elsewhere/AppGetProducts.md".into()];
    a.examples.push(Example {
        name: "request_1".into(),
        kind: ExampleKind::Request,
        source: "moved/AppGetProducts.md".into(),
        line: 12,
        value: serde_json::json!({"Action": "AppGetProducts"}),
        defects: vec![],
    });
    assert!(diff(&old, &api(vec![a])).is_empty());
}

#[test]
fn version_and_common_parameters_are_ignored() {
    let old = api(vec![]);
    let mut new = api(vec![]);
    new.service.version = "0.2.0".into();
    new.service.common_parameters.nonce = "Nonce2".into();
    assert!(diff(&old, &new).is_empty());
}

#[test]
fn endpoint_auth_and_reply_wrapping_changes_are_breaking() {
    let old = api(vec![action("AppGetProducts")]);
    let mut a = action("AppGetProducts");
    a.endpoint = "appapi".into();
    assert_one(
        &old,
        &api(vec![a]),
        K::EndpointChanged,
        I::Breaking,
        "AppGetProducts",
    );

    let mut a = action("AppGetProducts");
    a.auth = Auth::Signed;
    let c = assert_one(
        &old,
        &api(vec![a]),
        K::AuthChanged,
        I::Breaking,
        "AppGetProducts",
    );
    assert!(c.detail.contains("app key"), "{}", c.detail);

    let mut a = action("AppGetProducts");
    a.data_wrapper = true;
    assert_one(
        &old,
        &api(vec![a]),
        K::ReplyWrappingChanged,
        I::Breaking,
        "AppGetProducts",
    );
}

#[test]
fn action_wire_name_changed_by_case_is_compatible() {
    let old = api(vec![action("AppGetDeviceOTAInfo")]);
    let new = api(vec![action("AppGetDeviceOtaInfo")]);
    let c = assert_one(
        &old,
        &new,
        K::ActionWireRenamed,
        I::Compatible,
        "AppGetDeviceOtaInfo",
    );
    assert!(c.detail.contains("`AppGetDeviceOtaInfo`"), "{}", c.detail);
}

#[test]
fn action_wire_name_changed_beyond_case_under_the_same_method_is_breaking() {
    // Only possible when something other than the name picks the method;
    // build it directly.
    let old = api(vec![action("AppGetProducts")]);
    let mut a = action("AppGetProducts");
    a.name = "AppGetProductsV2".into();
    assert_one(
        &old,
        &api(vec![a]),
        K::ActionWireRenamed,
        I::Breaking,
        "AppGetProducts",
    );
}

#[test]
fn renamed_request_and_response_types_are_breaking() {
    let old = api(vec![action("AppGetProducts")]);
    let mut a = action("AppGetProducts");
    a.type_name = "AppGetProductList".into();
    assert_one(
        &old,
        &api(vec![a]),
        K::ActionTypesRenamed,
        I::Breaking,
        "AppGetProductList",
    );
}

fn kg(value: Option<(&str, &str)>) -> Api {
    let mut a = action("KGCommand");
    a.sub_command = value.map(|(name, value)| FixedParam {
        name: name.into(),
        value: value.into(),
    });
    api(vec![a])
}

#[test]
fn sub_command_changes() {
    let song = kg(Some(("KGCommand", "song_url")));
    // Added or removed: the server now does something else.
    assert_one(
        &kg(None),
        &song,
        K::SubCommandChanged,
        I::Breaking,
        "KgCommand",
    );
    assert_one(
        &song,
        &kg(None),
        K::SubCommandChanged,
        I::Breaking,
        "KgCommand",
    );
    // Another value under the same method.
    assert_one(
        &song,
        &kg(Some(("KGCommand", "lyrics"))),
        K::SubCommandChanged,
        I::Breaking,
        "KgCommand",
    );
    // A case-only respelling is treated like a case-only wire rename.
    assert_one(
        &song,
        &kg(Some(("KGCommand", "Song_URL"))),
        K::SubCommandChanged,
        I::Compatible,
        "KgCommand",
    );
}

#[test]
fn action_docs_and_error_lists_are_documentation() {
    let old = api(vec![action("AppGetProducts")]);
    let mut a = action("AppGetProducts");
    a.doc = "Lists products.".into();
    assert_one(
        &old,
        &api(vec![a]),
        K::DocChanged,
        I::Documentation,
        "AppGetProducts",
    );
    assert_eq!(
        diff(&old, &api(vec![action("AppGetProducts")])).bump,
        Bump::None
    );

    let mut a = action("AppGetProducts");
    a.errors = vec!["FailedOperation".into()];
    let c = assert_one(
        &old,
        &api(vec![a.clone()]),
        K::ErrorListChanged,
        I::Documentation,
        "AppGetProducts errors",
    );
    assert!(
        c.detail.contains("now documents `FailedOperation`"),
        "{}",
        c.detail
    );
    assert_eq!(diff(&old, &api(vec![a])).bump, Bump::Patch);
}

// ---------------------------------------------------------------------------
// Inputs.

const SUBJECT: &str = "AppGetProducts input `DeviceIds`";

#[test]
fn required_input_added_is_breaking() {
    let old = with_fields(vec![], vec![]);
    let new = with_fields(vec![required("DeviceIds", Type::String)], vec![]);
    let c = assert_one(&old, &new, K::FieldAdded, I::Breaking, SUBJECT);
    assert!(
        c.detail.contains("AppGetProductsRequest::new"),
        "{}",
        c.detail
    );
}

#[test]
fn optional_input_added_is_compatible() {
    let old = with_fields(vec![], vec![]);
    let new = with_fields(vec![field("DeviceIds", Type::String)], vec![]);
    let c = assert_one(&old, &new, K::FieldAdded, I::Compatible, SUBJECT);
    assert!(c.detail.contains("with_device_ids"), "{}", c.detail);
}

#[test]
fn input_removed_is_breaking() {
    let new = with_fields(vec![], vec![]);
    assert_one(
        &with_fields(vec![field("DeviceIds", Type::String)], vec![]),
        &new,
        K::FieldRemoved,
        I::Breaking,
        SUBJECT,
    );
    assert_one(
        &with_fields(vec![required("DeviceIds", Type::String)], vec![]),
        &new,
        K::FieldRemoved,
        I::Breaking,
        SUBJECT,
    );
}

#[test]
fn input_retyped_is_breaking() {
    let old = with_fields(vec![field("DeviceIds", Type::String)], vec![]);
    let new = with_fields(
        vec![field("DeviceIds", Type::List(Box::new(Type::String)))],
        vec![],
    );
    let c = assert_one(&old, &new, K::FieldRetyped, I::Breaking, SUBJECT);
    assert!(
        c.detail.contains("from `String` to `Vec<String>`"),
        "{}",
        c.detail
    );
}

#[test]
fn input_made_required_or_optional_is_breaking() {
    let opt = with_fields(vec![field("DeviceIds", Type::String)], vec![]);
    let req = with_fields(vec![required("DeviceIds", Type::String)], vec![]);
    assert_one(&opt, &req, K::FieldMadeRequired, I::Breaking, SUBJECT);
    // `new` loses a parameter and the field becomes `Option`.
    assert_one(&req, &opt, K::FieldMadeOptional, I::Breaking, SUBJECT);
}

#[test]
fn input_renamed_by_case_only_is_compatible_with_a_wire_note() {
    let old = with_fields(vec![required("ProductID", Type::String)], vec![]);
    let new = with_fields(vec![required("ProductId", Type::String)], vec![]);
    let c = assert_one(
        &old,
        &new,
        K::FieldWireRenamed,
        I::Compatible,
        "AppGetProducts input `ProductId`",
    );
    assert!(
        c.detail.contains("`ProductID`") && c.detail.contains("requests now send `ProductId`"),
        "{}",
        c.detail
    );
}

#[test]
fn wire_rename_that_changes_the_rust_name_is_a_remove_and_an_add() {
    // Spellings that differ beyond case.
    let old = with_fields(vec![field("ProductKey", Type::String)], vec![]);
    let new = with_fields(vec![field("ProductId", Type::String)], vec![]);
    assert_eq!(
        kinds(&old, &new),
        [
            (K::FieldAdded, I::Compatible),
            (K::FieldRemoved, I::Breaking)
        ]
    );
    // Same letters, different case, different Rust name (`device_id` vs
    // `deviceid`): still a remove and an add.
    let old = with_fields(vec![field("DeviceId", Type::String)], vec![]);
    let new = with_fields(vec![field("Deviceid", Type::String)], vec![]);
    assert_eq!(
        kinds(&old, &new),
        [
            (K::FieldRemoved, I::Breaking),
            (K::FieldAdded, I::Compatible)
        ]
    );
}

#[test]
fn rust_rename_under_the_same_wire_name_is_breaking() {
    let old = with_fields(vec![field("Type", Type::String)], vec![]);
    let mut f = field("Type", Type::String);
    f.rust_name = "kind".into();
    let new = with_fields(vec![f], vec![]);
    assert_one(
        &old,
        &new,
        K::FieldRustRenamed,
        I::Breaking,
        "AppGetProducts input `Type`",
    );
}

#[test]
fn reordered_required_inputs_are_breaking() {
    let a = required("ProductId", Type::String);
    let b = required("DeviceName", Type::String);
    let old = with_fields(vec![a.clone(), b.clone()], vec![]);
    let new = with_fields(vec![b, a], vec![]);
    let c = assert_one(
        &old,
        &new,
        K::InputsReordered,
        I::Breaking,
        "AppGetProducts inputs",
    );
    assert!(
        c.detail
            .contains("(`device_name`, `product_id`), was (`product_id`, `device_name`)"),
        "{}",
        c.detail
    );
    // Optional inputs are not `new` parameters: their order is free.
    let (x, y) = (field("Offset", Type::I64), field("Limit", Type::I64));
    assert!(
        diff(
            &with_fields(vec![x.clone(), y.clone()], vec![]),
            &with_fields(vec![y, x], vec![])
        )
        .is_empty()
    );
}

#[test]
fn redaction_change_is_compatible() {
    let old = with_fields(vec![field("Code", Type::String)], vec![]);
    let mut f = field("Code", Type::String);
    f.sensitive = true;
    let new = with_fields(vec![f], vec![]);
    assert_one(
        &old,
        &new,
        K::FieldRedactionChanged,
        I::Compatible,
        "AppGetProducts input `Code`",
    );
}

#[test]
fn input_doc_change_is_documentation() {
    let old = with_fields(vec![field("DeviceIds", Type::String)], vec![]);
    let mut f = field("DeviceIds", Type::String);
    f.doc = "Device ids, comma separated.".into();
    assert_one(
        &old,
        &with_fields(vec![f], vec![]),
        K::DocChanged,
        I::Documentation,
        SUBJECT,
    );
}

// ---------------------------------------------------------------------------
// Outputs.

const OUT: &str = "AppGetProducts output `Total`";

#[test]
fn output_added_is_compatible_and_removed_is_breaking() {
    let old = with_fields(vec![], vec![]);
    let new = with_fields(vec![], vec![field("Total", Type::I64)]);
    assert_one(&old, &new, K::FieldAdded, I::Compatible, OUT);
    assert_one(&new, &old, K::FieldRemoved, I::Breaking, OUT);
}

#[test]
fn output_retyped_is_breaking_including_boxing() {
    let old = with_fields(vec![], vec![field("Total", Type::I64)]);
    let new = with_fields(vec![], vec![field("Total", Type::String)]);
    assert_one(&old, &new, K::FieldRetyped, I::Breaking, OUT);

    let old = with_fields(vec![], vec![field("Node", st("Node"))]);
    let new = with_fields(
        vec![],
        vec![field(
            "Node",
            Type::Struct {
                name: "Node".into(),
                boxed: true,
            },
        )],
    );
    let c = assert_one(
        &old,
        &new,
        K::FieldRetyped,
        I::Breaking,
        "AppGetProducts output `Node`",
    );
    assert!(c.detail.contains("`Box<Node>`"), "{}", c.detail);
}

#[test]
fn output_renamed_by_case_only_is_compatible() {
    let old = with_fields(vec![], vec![field("FirmwareURL", Type::String)]);
    let new = with_fields(vec![], vec![field("FirmwareUrl", Type::String)]);
    let c = assert_one(
        &old,
        &new,
        K::FieldWireRenamed,
        I::Compatible,
        "AppGetProducts output `FirmwareUrl`",
    );
    assert!(
        c.detail
            .contains("responses are now read from `FirmwareUrl`"),
        "{}",
        c.detail
    );
}

// ---------------------------------------------------------------------------
// Structures.

const SF: &str = "structure `DeviceInfo` field `Alias`";

#[test]
fn structure_added_is_compatible_and_removed_is_breaking() {
    let old = with_structs(vec![]);
    let new = with_structs(vec![structure("DeviceInfo", vec![])]);
    assert_one(
        &old,
        &new,
        K::StructAdded,
        I::Compatible,
        "structure `DeviceInfo`",
    );
    assert_one(
        &new,
        &old,
        K::StructRemoved,
        I::Breaking,
        "structure `DeviceInfo`",
    );
}

#[test]
fn structure_fields() {
    let none = with_structs(vec![structure("DeviceInfo", vec![])]);
    let some = with_structs(vec![structure(
        "DeviceInfo",
        vec![field("Alias", Type::String)],
    )]);
    // All-`Option`, `Default`, `#[non_exhaustive]`: adding is compatible.
    assert_one(&none, &some, K::FieldAdded, I::Compatible, SF);
    assert_one(&some, &none, K::FieldRemoved, I::Breaking, SF);

    let retyped = with_structs(vec![structure(
        "DeviceInfo",
        vec![field("Alias", Type::I64)],
    )]);
    assert_one(&some, &retyped, K::FieldRetyped, I::Breaking, SF);

    let cased = with_structs(vec![structure(
        "DeviceInfo",
        vec![field("ALIAS", Type::String)],
    )]);
    assert_one(
        &some,
        &cased,
        K::FieldWireRenamed,
        I::Compatible,
        "structure `DeviceInfo` field `ALIAS`",
    );

    // A structure only read from replies stays `Option` whatever the 必选
    // column says.
    let req = with_structs(vec![structure(
        "DeviceInfo",
        vec![required("Alias", Type::String)],
    )]);
    assert_one(&some, &req, K::FieldMadeRequired, I::Documentation, SF);
    assert_one(&req, &some, K::FieldMadeOptional, I::Documentation, SF);

    // One used in requests takes its required fields in `new`.
    let input = |fields| {
        let mut s = structure("DeviceInfo", fields);
        s.input = true;
        with_structs(vec![s])
    };
    let (opt_in, req_in) = (
        input(vec![field("Alias", Type::String)]),
        input(vec![required("Alias", Type::String)]),
    );
    assert_one(&opt_in, &req_in, K::FieldMadeRequired, I::Breaking, SF);
    assert_one(&req_in, &opt_in, K::FieldMadeOptional, I::Breaking, SF);
    assert_one(&input(vec![]), &req_in, K::FieldAdded, I::Breaking, SF);
    assert_one(&input(vec![]), &opt_in, K::FieldAdded, I::Compatible, SF);
    // Starting or stopping to be used in a request changes what is `Option`.
    assert_one(
        &req,
        &req_in,
        K::StructUsageChanged,
        I::Breaking,
        "structure `DeviceInfo`",
    );
    assert_one(
        &req_in,
        &req,
        K::StructUsageChanged,
        I::Breaking,
        "structure `DeviceInfo`",
    );
    assert!(
        diff(&some, &opt_in).is_empty(),
        "no required field: nothing changes"
    );

    let mut f = field("Alias", Type::String);
    f.doc = "Nickname.".into();
    let doc = with_structs(vec![structure("DeviceInfo", vec![f])]);
    assert_one(&some, &doc, K::DocChanged, I::Documentation, SF);
}

#[test]
fn login_constructors() {
    use apidoc::ir::{LoginForm, Session};
    let with = |logins: Vec<LoginForm>| {
        let mut a = api(vec![action("AppGetToken")]);
        a.session = Some(Session {
            login: "app_get_token".into(),
            token: vec!["data".into(), "token".into()],
            expires_at: None,
            invalid_token_codes: vec!["InvalidParameterValue.InvalidAccessToken".into()],
            logins,
        });
        a
    };
    let form = |name: &str, args: &[&str]| LoginForm {
        name: name.into(),
        args: args.iter().map(|a| a.to_string()).collect(),
        set: vec![],
    };
    let email = with(vec![form("email", &["email", "password"])]);
    let s = "Login";
    assert_one(
        &api(vec![action("AppGetToken")]),
        &email,
        K::SessionChanged,
        I::Compatible,
        s,
    );
    assert_one(
        &email,
        &api(vec![action("AppGetToken")]),
        K::SessionChanged,
        I::Breaking,
        s,
    );
    assert_one(&email, &with(vec![]), K::SessionChanged, I::Breaking, s);
    assert_one(
        &email,
        &with(vec![form("email", &["password", "email"])]),
        K::SessionChanged,
        I::Breaking,
        s,
    );
    let both = with(vec![
        form("email", &["email", "password"]),
        form("phone", &["phone_number", "password"]),
    ]);
    assert_one(&email, &both, K::SessionChanged, I::Compatible, s);
}

#[test]
fn channel() {
    use apidoc::ir::{Channel, WireEnum, WireValue};
    let value = |wire: &str| WireValue {
        wire: wire.into(),
        variant: wire.into(),
        doc: String::new(),
    };
    let with = |url: &str, values: &[&str]| {
        let mut a = api(vec![]);
        a.channel = Some(Channel {
            endpoint: "explorer".into(),
            url: url.into(),
            heartbeat: "AppDeviceTraceHeartBeat".into(),
            messages: vec![],
            enums: vec![WireEnum {
                member: "Type".into(),
                rust_name: "DeviceChangeType".into(),
                message: "DeviceChange".into(),
                source: String::new(),
                values: values.iter().map(|v| value(v)).collect(),
            }],
            examples: vec![],
        });
        a
    };
    let url = "wss://iot.cloud.tencent.com/ws/explorer";
    let two = with(url, &["Online", "Offline"]);
    let (t, d) = ("DeviceChangeType", "device_changes");
    assert_one(&api(vec![]), &two, K::ChannelChanged, I::Compatible, d);
    assert_one(&two, &api(vec![]), K::ChannelChanged, I::Breaking, d);
    assert_one(
        &two,
        &with("wss://other/ws", &["Online", "Offline"]),
        K::ChannelChanged,
        I::Breaking,
        d,
    );
    assert_one(
        &two,
        &with(url, &["Online", "Offline", "Report"]),
        K::ChannelChanged,
        I::Compatible,
        t,
    );
    assert_one(
        &two,
        &with(url, &["Online"]),
        K::ChannelChanged,
        I::Breaking,
        t,
    );
    let mut renamed = two.clone();
    renamed.channel.as_mut().unwrap().enums[0].values[0].variant = "Up".into();
    assert_one(&two, &renamed, K::ChannelChanged, I::Breaking, t);
    let mut documented = two.clone();
    documented.channel.as_mut().unwrap().enums[0].values[0].doc = "设备上线".into();
    assert_one(&two, &documented, K::DocChanged, I::Documentation, t);
    // The examples and the messages are docs' data, not API.
    let mut examples = two.clone();
    examples.channel.as_mut().unwrap().messages.clear();
    assert!(diff(&two, &examples).changes.is_empty());
}

#[test]
fn pagination() {
    let plain = api(vec![action("AppGetFamilyList")]);
    let paged = |items: &str| {
        let mut a = action("AppGetFamilyList");
        a.pagination = Some(apidoc::ir::Pagination::Offset {
            offset: "Offset".into(),
            limit: "Limit".into(),
            items: items.into(),
            total: Some("Total".into()),
            max_limit: Some(50),
        });
        api(vec![a])
    };
    let s = "AppGetFamilyList";
    assert_one(
        &plain,
        &paged("FamilyList"),
        K::PaginationChanged,
        I::Compatible,
        s,
    );
    assert_one(
        &paged("FamilyList"),
        &plain,
        K::PaginationChanged,
        I::Breaking,
        s,
    );
    assert_one(
        &paged("FamilyList"),
        &paged("Families"),
        K::PaginationChanged,
        I::Breaking,
        s,
    );
}

#[test]
fn structure_doc_and_heading_are_documentation() {
    let old = with_structs(vec![structure("DeviceInfo", vec![])]);
    let mut s = structure("DeviceInfo", vec![]);
    s.doc = "A device.".into();
    assert_one(
        &old,
        &with_structs(vec![s]),
        K::DocChanged,
        I::Documentation,
        "structure `DeviceInfo`",
    );
    let mut s = structure("DeviceInfo", vec![]);
    s.api_name = "deviceInfo".into();
    assert_one(
        &old,
        &with_structs(vec![s]),
        K::DocChanged,
        I::Documentation,
        "structure `DeviceInfo`",
    );
}

// ---------------------------------------------------------------------------
// Error codes.

#[test]
fn error_codes() {
    let none = with_codes(vec![]);
    let one = with_codes(vec![error_code("FailedOperation.DeviceOffline")]);
    let subject = "error code `FailedOperation.DeviceOffline`";
    // `ErrorCode` is `#[non_exhaustive]`.
    assert_one(&none, &one, K::ErrorCodeAdded, I::Compatible, subject);
    assert_one(&one, &none, K::ErrorCodeRemoved, I::Breaking, subject);

    let mut described = error_code("FailedOperation.DeviceOffline");
    described.description = "The device is offline.".into();
    assert_one(
        &one,
        &with_codes(vec![described]),
        K::DocChanged,
        I::Documentation,
        subject,
    );

    let mut renamed = error_code("FailedOperation.DeviceOffline");
    renamed.variant = "FailedOperationDeviceOfflineCode".into();
    assert_one(
        &one,
        &with_codes(vec![renamed]),
        K::ErrorVariantRenamed,
        I::Breaking,
        subject,
    );

    let cased = with_codes(vec![error_code("FailedOperation.DeviceOFFLINE")]);
    // `error_variant` gives `FailedOperationDeviceOffline` for both.
    assert_one(
        &one,
        &cased,
        K::ErrorCodeWireRenamed,
        I::Compatible,
        "error code `FailedOperation.DeviceOFFLINE`",
    );
}

// ---------------------------------------------------------------------------
// Crate.

#[test]
fn crate_level_changes() {
    let old = api(vec![]);
    let mut new = api(vec![]);
    new.service.crate_name = "tencent-iot".into();
    assert_one(&old, &new, K::CrateRenamed, I::Breaking, "crate");
    let mut new = api(vec![]);
    new.service.default_base_url = "https://example.com/api".into();
    assert_one(&old, &new, K::BaseUrlChanged, I::Breaking, "crate");
    let mut new = api(vec![]);
    new.service.description = "Another description.".into();
    assert_one(&old, &new, K::DocChanged, I::Documentation, "crate");
}

// ---------------------------------------------------------------------------
// Report: bump, order, renderings.

#[test]
fn bump_is_the_maximum_impact() {
    let old = with_fields(vec![field("A", Type::String)], vec![]);
    let mut doc = field("A", Type::String);
    doc.doc = "changed".into();
    let new = with_fields(vec![doc.clone()], vec![]);
    assert_eq!(diff(&old, &new).bump, Bump::Patch);
    let new = with_fields(vec![doc.clone(), field("B", Type::String)], vec![]);
    assert_eq!(diff(&old, &new).bump, Bump::Minor);
    let new = with_fields(
        vec![doc, field("B", Type::String), required("C", Type::String)],
        vec![],
    );
    assert_eq!(diff(&old, &new).bump, Bump::Major);
}

#[test]
fn changes_are_sorted_by_subject_then_kind() {
    let (old, new) = everything();
    let report = diff(&old, &new);
    let keys: Vec<_> = report
        .changes
        .iter()
        .map(|c| (c.subject.clone(), c.kind))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // Input order does not matter.
    let mut shuffled = report.changes.clone();
    shuffled.reverse();
    assert_eq!(Report::from_changes(shuffled), report);
}

#[test]
fn text_groups_by_impact_and_ends_with_the_semver_line() {
    let (old, new) = everything();
    let text = diff(&old, &new).render_text();
    let b = text.find("Breaking changes (").unwrap();
    let c = text.find("Compatible changes (").unwrap();
    let d = text.find("Documentation changes (").unwrap();
    assert!(b < c && c < d, "{text}");
    assert_eq!(
        text.lines().last(),
        Some("Semver: major (breaking changes)")
    );

    let old = api(vec![]);
    let new = api(vec![action("AppGetProducts")]);
    assert!(
        diff(&old, &new)
            .render_text()
            .ends_with("Semver: minor (compatible changes)")
    );
}

/// Two IRs whose difference has at least one change of every kind and
/// every impact.
fn everything() -> (Api, Api) {
    let mut old = api(vec![]);
    let mut new = api(vec![]);

    new.service.crate_name = "iot-explorer-client".into();
    new.service.default_base_url = "https://iot.cloud.tencent.com/api/v2".into();
    new.service.description = "Typed client for IoT Explorer.".into();

    // Actions added and removed.
    old.actions.push(action("AppDeleteProduct"));
    new.actions.push(action("AppCreateProduct"));

    // One action that changes in every way an action can.
    let mut o = action("AppGetDeviceOTAInfo");
    o.inputs = vec![
        required("ProductId", Type::String),
        required("DeviceName", Type::String),
        required("Gone", Type::String),
        field("FirmwareType", Type::String),
        field("Region", Type::String),
        field("Limit", Type::I64),
        field("GatewayID", Type::String),
        field("Type", Type::String),
        field("Code", Type::String),
    ];
    o.outputs.extend([
        field("FirmwareURL", Type::String),
        field("Size", Type::I64),
        field("Md5", Type::String),
    ]);
    o.errors = vec!["FailedOperation".into(), "InternalError".into()];
    o.data_wrapper = false;
    let mut n = action("AppGetDeviceOtaInfo");
    n.type_name = "AppGetDeviceOtaInformation".into();
    n.endpoint = "appapi".into();
    n.auth = Auth::Signed;
    n.data_wrapper = true;
    n.doc = "Gets the OTA firmware of a device.".into();
    let mut region_doc = field("Region", Type::String);
    region_doc.doc = "Region of the device.".into();
    let mut kind = field("Type", Type::String);
    kind.rust_name = "kind".into();
    let mut code = field("Code", Type::String);
    code.sensitive = true;
    n.inputs = vec![
        required("DeviceName", Type::String),
        required("ProductId", Type::String),
        required("FirmwareType", Type::String),
        region_doc,
        field("Limit", Type::String),
        field("GatewayId", Type::String),
        required("Version", Type::String),
        field("Channel", Type::String),
        kind,
        code,
    ];
    n.outputs.extend([
        field("FirmwareUrl", Type::String),
        field("Size", Type::String),
        field("Sha256", Type::String),
    ]);
    n.errors = vec!["FailedOperation".into(), "ResourceNotFound".into()];
    old.actions.push(o);
    new.actions.push(n);

    // Sub-command and wire name beyond case under the same method.
    let mut o = action("KGCommand");
    o.sub_command = Some(FixedParam {
        name: "KGCommand".into(),
        value: "song_url".into(),
    });
    let mut n = o.clone();
    n.sub_command = Some(FixedParam {
        name: "KGCommand".into(),
        value: "lyrics".into(),
    });
    n.name = "KGCommandV2".into();
    old.actions.push(o);
    new.actions.push(n);
    let mut o = action("AppListDevices");
    o.inputs = vec![field("Offset", Type::I64), required("Limit", Type::I64)];
    let mut n = o.clone();
    n.inputs = vec![required("Offset", Type::I64), field("Limit", Type::I64)];
    old.actions.push(o);
    new.actions.push(n);

    // Structures.
    old.structs = vec![
        structure("Removed", vec![]),
        structure(
            "DeviceInfo",
            vec![
                field("Alias", Type::String),
                field("Old", Type::String),
                field("Rssi", Type::I64),
            ],
        ),
    ];
    let mut info = structure(
        "DeviceInfo",
        vec![
            required("Alias", Type::String),
            field("Rssi", Type::F64),
            field("New", Type::List(Box::new(st("DeviceInfo")))),
        ],
    );
    info.doc = "A device and its state.".into();
    new.structs = vec![structure("Added", vec![]), info];

    // Error codes.
    old.error_codes = vec![
        error_code("FailedOperation"),
        error_code("InternalError"),
        error_code("InvalidParameterValue.InvalidAccessToken"),
        error_code("ResourceNotFound.deviceNotExist"),
    ];
    let mut failed = error_code("FailedOperation");
    failed.description = "The operation failed.".into();
    let mut token = error_code("InvalidParameterValue.InvalidAccessToken");
    token.variant = "InvalidAccessToken".into();
    new.error_codes = vec![
        failed,
        token,
        error_code("ResourceNotFound"),
        error_code("ResourceNotFound.DeviceNotExist"),
    ];
    (old, new)
}

#[test]
fn the_everything_report_has_every_kind() {
    use std::collections::BTreeSet;
    let (old, new) = everything();
    let report = diff(&old, &new);
    let seen: BTreeSet<K> = report.changes.iter().map(|c| c.kind).collect();
    let all = [
        K::CrateRenamed,
        K::BaseUrlChanged,
        K::ActionAdded,
        K::ActionRemoved,
        K::ActionWireRenamed,
        K::ActionTypesRenamed,
        K::SubCommandChanged,
        K::EndpointChanged,
        K::AuthChanged,
        K::ReplyWrappingChanged,
        K::ErrorListChanged,
        K::FieldAdded,
        K::FieldRemoved,
        K::FieldRetyped,
        K::FieldMadeRequired,
        K::FieldMadeOptional,
        K::FieldWireRenamed,
        K::FieldRustRenamed,
        K::FieldRedactionChanged,
        K::InputsReordered,
        K::StructAdded,
        K::StructRemoved,
        K::ErrorCodeAdded,
        K::ErrorCodeRemoved,
        K::ErrorCodeWireRenamed,
        K::ErrorVariantRenamed,
        K::DocChanged,
    ];
    for k in all {
        assert!(seen.contains(&k), "no {k:?} in\n{}", report.render_text());
    }
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn snapshot_text() {
    let (old, new) = everything();
    insta::assert_snapshot!(diff(&old, &new).render_text());
}

#[test]
fn snapshot_markdown() {
    let (old, new) = everything();
    insta::assert_snapshot!(diff(&old, &new).render_markdown());
}

#[test]
fn snapshot_json() {
    let (old, new) = everything();
    insta::assert_snapshot!(diff(&old, &new).to_json());
}

#[test]
fn json_uses_snake_case_values() {
    let report = diff(&api(vec![]), &api(vec![action("AppGetProducts")]));
    let v: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(v["bump"], "minor");
    assert_eq!(v["changes"][0]["kind"], "action_added");
    assert_eq!(v["changes"][0]["impact"], "compatible");
    assert_eq!(v["changes"][0]["subject"], "AppGetProducts");
}

// ---------------------------------------------------------------------------
// Bump::apply.

#[test]
fn bump_apply_from_1_x() {
    assert_eq!(Bump::Major.apply("1.2.3"), Ok("2.0.0".into()));
    assert_eq!(Bump::Minor.apply("1.2.3"), Ok("1.3.0".into()));
    assert_eq!(Bump::Patch.apply("1.2.3"), Ok("1.2.4".into()));
    assert_eq!(Bump::None.apply("1.2.3"), Ok("1.2.3".into()));
}

#[test]
fn bump_apply_below_1_follows_cargo() {
    assert_eq!(Bump::Major.apply("0.1.0"), Ok("0.2.0".into()));
    assert_eq!(Bump::Major.apply("0.1.7"), Ok("0.2.0".into()));
    assert_eq!(Bump::Minor.apply("0.1.0"), Ok("0.1.1".into()));
    assert_eq!(Bump::Patch.apply("0.1.0"), Ok("0.1.1".into()));
    assert_eq!(Bump::Major.apply("0.0.3"), Ok("0.1.0".into()));
    assert_eq!(Bump::Minor.apply("0.0.3"), Ok("0.0.4".into()));
}

#[test]
fn bump_apply_rejects_invalid_versions() {
    for v in [
        "",
        "1",
        "1.2",
        "1.2.3.4",
        "v1.2.3",
        "1.2.x",
        "01.2.3",
        "1.02.3",
        " 1.2.3",
        "1..3",
        "1.2.3-rc.1",
        "1.2.3+build",
        "-1.2.3",
    ] {
        for bump in [Bump::None, Bump::Patch, Bump::Minor, Bump::Major] {
            assert!(bump.apply(v).is_err(), "{bump:?} accepted {v:?}");
        }
    }
    assert!(Bump::Major.apply(&format!("{}.0.0", u64::MAX)).is_err());
    assert!(Bump::Major.apply("99999999999999999999.0.0").is_err());
    assert_eq!(
        Bump::Minor.apply(&format!("1.{}.0", u64::MAX - 1)),
        Ok(format!("1.{}.0", u64::MAX))
    );
}

#[test]
fn groups_and_features() {
    let mut old = api(vec![action("AppA")]);
    old.service.groups = vec!["devices".into()];
    let mut new = old.clone();
    new.actions[0].group = Some("devices".into());
    new.service.groups = vec!["files".into()];
    let report = apidiff::diff(&old, &new);
    let kinds: Vec<_> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.impact, c.detail.contains("added")))
        .collect();
    assert!(
        kinds.contains(&(K::GroupChanged, I::Breaking, false)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(K::FeatureChanged, I::Breaking, false)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(K::FeatureChanged, I::Compatible, true)),
        "{kinds:?}"
    );
    assert_eq!(report.bump, Bump::Major);
}
