//! Drawing the model from the seed: the structures and the links between
//! them, then the actions with their fields, errors and page style.

use crate::fields::{add_struct_field, scalar_field, struct_field};
use crate::model::{Action, Endpoint, Model, RefForm, Structure, Style};
use crate::names::{Names, loop_unique};
use crate::render;
use crate::rng::Rng;
use crate::words;
use std::collections::HashSet;

impl Model {
    pub fn generate(pages: usize, seed: u64) -> Model {
        let mut rng = Rng::new(seed);
        // About one structure per page: the published family has a few
        // hundred structures for its hundred-odd pages, and most pages
        // link one or two of them.
        let n_structs = pages + 8;
        let mut structures = Self::structures(&mut rng, n_structs);
        let actions = Self::actions(&mut rng, pages, &mut structures);
        Model {
            structures,
            actions,
        }
    }

    fn structures(rng: &mut Rng, n: usize) -> Vec<Structure> {
        let mut names = Names::default();
        let mut out: Vec<Structure> = Vec::with_capacity(n);
        for i in 0..n {
            let (name, doc) = loop_unique(rng, &mut names, i, |rng| {
                let (a, a_cn) = *rng.pick(words::NOUNS);
                match rng.below(20) {
                    // `KugouParams_song_url`-style names, as a few real headings are.
                    0 => {
                        let (b, b_cn) = *rng.pick(words::NOUNS);
                        let (t, t_cn) = *rng.pick(words::ACTION_TAILS);
                        (
                            format!(
                                "{a}Params_{}_{}",
                                b.to_ascii_lowercase(),
                                t.to_ascii_lowercase()
                            ),
                            format!("{a_cn}{b_cn}{t_cn}参数"),
                        )
                    }
                    1..=9 => {
                        let (t, t_cn) = *rng.pick(words::STRUCT_TAILS);
                        (format!("{a}{t}"), format!("{a_cn}{t_cn}"))
                    }
                    _ => {
                        let (b, b_cn) = *rng.pick(words::NOUNS);
                        let (t, t_cn) = *rng.pick(words::STRUCT_TAILS);
                        (format!("{a}{b}{t}"), format!("{a_cn}{b_cn}{t_cn}"))
                    }
                }
            });
            let anchor = if rng.chance(70) {
                name.to_ascii_lowercase()
            } else {
                name.clone()
            };
            let required_column = rng.chance(60);
            let mut fields = Vec::new();
            let mut field_names = Names::default();
            for _ in 0..rng.range(2, 9) {
                fields.push(scalar_field(rng, &mut field_names, required_column));
            }
            out.push(Structure {
                name,
                doc,
                fields,
                required_column,
                anchor,
                users: Vec::new(),
            });
        }
        // Links between structures: mostly forward to a near neighbour, so
        // nesting is a few levels deep as in the real page; a few point at
        // themselves or back at the structure that links them (recursion,
        // which the generator must box).
        for i in 0..n {
            if rng.chance(30) && i + 1 < n {
                let target = rng.range(i + 1, (i + 24).min(n - 1));
                let form = rng.pick_ref_form(false);
                add_struct_field(&mut out, i, target, form);
                if rng.chance(6) {
                    add_struct_field(&mut out, target, i, RefForm::ObjectOf);
                }
            }
            if rng.chance(4) {
                let form = if rng.chance(50) {
                    RefForm::ObjectOf
                } else {
                    RefForm::ArrayOf
                };
                add_struct_field(&mut out, i, i, form);
            }
        }
        out
    }

    fn actions(rng: &mut Rng, pages: usize, structures: &mut [Structure]) -> Vec<Action> {
        let mut names = Names::default();
        let mut out = Vec::with_capacity(pages);
        let n_structs = structures.len();
        // Each page links the next structure nobody links yet, so almost all
        // are reachable (and generated); the rest stay as unused headings.
        let mut cursor = 0usize;
        let mut error_pool: Vec<(String, String)> = Vec::new();
        for i in 0..pages {
            let (name, purpose) = loop_unique(rng, &mut names, i, |rng| {
                let (v, v_cn) = *rng.pick(words::VERBS);
                let (a, a_cn) = *rng.pick(words::NOUNS);
                let mut name = format!("App{v}{a}");
                let mut purpose = format!("{v_cn}{a_cn}");
                if rng.chance(55) {
                    let (b, b_cn) = *rng.pick(words::NOUNS);
                    name.push_str(b);
                    purpose.push_str(b_cn);
                }
                if rng.chance(35) {
                    let (t, t_cn) = *rng.pick(words::ACTION_TAILS);
                    name.push_str(t);
                    purpose.push_str(t_cn);
                }
                (name, purpose)
            });
            let endpoint = if rng.chance(15) {
                Endpoint::App
            } else {
                Endpoint::Token
            };

            let mut in_names = Names::default();
            let mut inputs = Vec::new();
            for _ in 0..rng.range(1, 7) {
                inputs.push(scalar_field(rng, &mut in_names, true));
            }
            if rng.chance(12) {
                let target = rng.below(n_structs);
                let form = rng.pick_ref_form(true);
                let required = rng.chance(50);
                inputs.push(struct_field(
                    structures,
                    &mut in_names,
                    target,
                    form,
                    required,
                ));
                structures[target].users.push(i);
            }
            let mut out_names = Names::default();
            let mut outputs = Vec::new();
            for _ in 0..rng.range(0, 6) {
                outputs.push(scalar_field(rng, &mut out_names, false));
            }
            let mut links = if rng.chance(70) { 1 } else { 0 } + if rng.chance(20) { 1 } else { 0 };
            if cursor < n_structs && links == 0 && rng.chance(50) {
                links = 1;
            }
            for k in 0..links {
                let target = if k == 0 && cursor < n_structs * 9 / 10 {
                    cursor += 1;
                    cursor - 1
                } else {
                    rng.below(n_structs)
                };
                let form = rng.pick_ref_form(true);
                outputs.push(struct_field(
                    structures,
                    &mut out_names,
                    target,
                    form,
                    false,
                ));
                let users = &mut structures[target].users;
                if users.last() != Some(&i) {
                    users.push(i);
                }
            }
            if outputs.is_empty() {
                outputs.push(scalar_field(rng, &mut out_names, false));
            }

            let errors = errors(rng, endpoint, &mut error_pool);
            let style = Style {
                full_width_parens: rng.chance(80),
                endpoint_line: rng.below(render::ENDPOINT_LINES),
                action_row: rng.below(render::ACTION_ROWS),
                padded: rng.chance(45),
                dx_blocks: rng.chance(15),
                http_line: rng.chance(60),
                example_heading: rng.chance(10),
                error_example: rng.chance(30),
                request_id_row: rng.below(3) as u8,
                json_comment: rng.chance(3),
                trailing_comma: rng.chance(2),
                indent: rng.pick_str(&["  ", "    ", "    ", "\t"]),
                success_label: rng.below(render::SUCCESS_LABELS),
            };
            out.push(Action {
                name,
                purpose,
                endpoint,
                inputs,
                outputs,
                errors,
                style,
            });
        }
        out
    }
}

/// The error table: a few codes every page has, and some about the page's
/// own nouns, drawn from a pool so that pages share codes as in the docs.
fn errors(
    rng: &mut Rng,
    endpoint: Endpoint,
    pool: &mut Vec<(String, String)>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![("InternalError".into(), "内部错误".into())];
    match endpoint {
        Endpoint::Token => out.push((
            "InvalidParameterValue.InvalidAccessToken".into(),
            "Token 无效".into(),
        )),
        Endpoint::App => out.push((
            "InvalidParameterValue.InvalidSignature".into(),
            "签名错误".into(),
        )),
    }
    for _ in 0..rng.range(0, 3) {
        let (c, d) = *rng.pick(words::COMMON_ERRORS);
        out.push((c.into(), d.into()));
    }
    for _ in 0..rng.range(0, 3) {
        // Reuse a code other pages have, or coin one; the pool stays small
        // relative to the page count, as one family's codes do.
        if !pool.is_empty() && rng.chance(60) {
            let e = rng.pick(pool).clone();
            out.push(e);
        } else {
            let (cat, cond, cond_cn) = *rng.pick(words::ERROR_KINDS);
            let (noun, noun_cn) = *rng.pick(words::NOUNS);
            let e = (format!("{cat}.{noun}{cond}"), format!("{noun_cn}{cond_cn}"));
            pool.push(e.clone());
            out.push(e);
        }
    }
    let mut seen = HashSet::new();
    out.retain(|(c, _)| seen.insert(c.clone()));
    out
}
