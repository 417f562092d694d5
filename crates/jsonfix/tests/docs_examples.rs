//! Broken examples taken from the published interface docs, snapshotted with
//! the text each repair points at so the spans can be checked by eye.

use std::fmt::Write;

use jsonfix::{find_json_start, parse_lenient};

/// The value, then one line per repair: line number, span, the text it
/// covers and what was done.
fn render(text: &str) -> String {
    let start = find_json_start(text).expect("a JSON body");
    let body = &text[start..];
    let mut out = String::new();
    match parse_lenient(body) {
        Ok(repaired) => {
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&repaired.value).unwrap()
            )
            .unwrap();
            for repair in &repaired.repairs {
                let line = body[..repair.span.start].matches('\n').count() + 1;
                let covered = &body[repair.span.clone()];
                let shown: String = covered.chars().take(40).collect();
                let more = if shown.len() < covered.len() {
                    "..."
                } else {
                    ""
                };
                writeln!(
                    out,
                    "line {line} {:?} {shown:?}{more}: {}",
                    repair.span, repair.kind
                )
                .unwrap();
            }
        }
        Err(failure) => writeln!(out, "failure: {failure}").unwrap(),
    }
    out
}

#[test]
fn request_with_missing_and_trailing_commas() {
    insta::assert_snapshot!(render(
        r#" POST https://iot.cloud.tencent.com/api/exploreropen/tokenapi HTTP/1.1
 content-type: application/json
 {
		"AccessToken": "8b4a70dd16105f******************18edd4e78a3bb8ec"
		"RequestId": "1pZ****1N",
		"FileSize":5179,
		"ReadProtect":1,
 }
"#
    ));
}

#[test]
fn response_with_fullwidth_trailing_comma() {
    insta::assert_snapshot!(render(
        " {
	 \"Response\":
		 {
		     \"RequestId\":\"1pZ****1N\"
		     \"Resource\":
				 {
					 \"Status\":0,
					 \"UpdateTime\":1576747523，
				 }
		 }
}"
    ));
}

#[test]
fn data_template_with_unescaped_quotes() {
    insta::assert_snapshot!(render(
        r#"{
  "Response":{
      "Products":[
          {
              "ProductId":"FVYYYEL4ON",
              "DataTemplate":"{"version":"1.0","profile":{"ProductId":"FVYYYEL4ON","CategoryId":"1"},"properties":[{"id":"mac","name":"mac地址","desc":"wifi路由器mac地址","required":true,"mode":"r","define":{"type":"string","min":"0","max":"30"}}],"events":[],"actions":[]}",
              "AppTemplate":"",
              "UpdateTime":1600159203
          }
      ],
      "RequestId":"27HPvi1ylv"
  }
}"#
    ));
}

#[test]
fn elided_objects() {
    insta::assert_snapshot!(render(
        r#"   {
       "Response": {
           "Data": {...
           },
           "ErrorCode":0,"ErrorMsg":"",
           "RequestId": "keyi20191119-012345"
       }
   }"#
    ));
}

#[test]
fn comments_after_members_and_after_the_value() {
    insta::assert_snapshot!(render(
        r#"{
	"RequestId": "req_1",
	"RoomId":"5",  //如果要获取家庭所有设备 则该字段为""，"0" 则为默认房间
	"Timer": {
		"TimePoint": "09:30" // 触发时间，24小时制，例如"14:00"
	}
}
 // IconUrl为具体设备的url
"#
    ));
}

#[test]
fn response_never_closed() {
    insta::assert_snapshot!(render(
        r#"{
  "Response": {
    "Data": {
    "Token": "d7*************1b3b",
    "RequestId": "f92406b3-5a9a-4fe8-bc43-45e3d794bb68"
  }
}"#
    ));
}

#[test]
fn dx_codeblock_fence_after_the_value() {
    insta::assert_snapshot!(render(
        "{\n  \"Response\": {\"RequestId\": \"1pZ****1N\"}\n}\n:::\n</dx-codeblock>\n"
    ));
}

#[test]
fn signing_parameters_are_not_json() {
    insta::assert_snapshot!(render(
        "{\n\t\tAction=AppCreateCellphoneUser,\n\t\tAppKey=ahPxdK****TGrejd\n}"
    ));
}
