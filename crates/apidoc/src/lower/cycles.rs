//! Recursive structures: a field that leads back to its own structure
//! without a `Vec` in between needs a `Box`.

use crate::ir::{self, Type};
use std::collections::HashMap;

/// Boxes a structure field that leads back to its own structure without
/// passing through a `Vec` (which already gives indirection).
///
/// A field needs a box exactly when its structure and the one it names lie
/// on a common cycle, that is, in the same strongly connected component of
/// the "has a field of type" graph. One pass of Tarjan's algorithm finds
/// the components in time linear in structures plus fields; a search from
/// every field would be quadratic on a densely linked structures page.
pub(super) fn box_cycles(structs: &mut [ir::Struct]) {
    let index: HashMap<String, usize> = structs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.rust_name.clone(), i))
        .collect();
    let edges: Vec<Vec<usize>> = structs
        .iter()
        .map(|s| {
            s.fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Type::Struct { name, .. } => index.get(name.as_str()).copied(),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let component = strongly_connected_components(&edges);
    for (i, s) in structs.iter_mut().enumerate() {
        for f in &mut s.fields {
            if let Type::Struct { name, boxed } = &mut f.ty {
                *boxed = index
                    .get(name.as_str())
                    .is_some_and(|&j| component[j] == component[i]);
            }
        }
    }
}

/// The strongly connected component of every node of a graph given as
/// adjacency lists, numbered from 0. Tarjan's algorithm, with an explicit
/// stack instead of recursion so that a long chain of structures cannot
/// overflow the thread's stack.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut order = vec![UNSEEN; n]; // discovery order
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let (mut next_order, mut next_component) = (0, 0);
    // (node, index of the next edge to follow)
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        calls.push((root, 0));
        while let Some(&mut (v, ref mut next)) = calls.last_mut() {
            if *next == 0 && order[v] == UNSEEN {
                order[v] = next_order;
                low[v] = next_order;
                next_order += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*next) {
                *next += 1;
                if order[w] == UNSEEN {
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn structure(name: &str, fields: &[(&str, Type)]) -> ir::Struct {
        ir::Struct {
            api_name: name.to_string(),
            rust_name: name.to_string(),
            doc: String::new(),
            fields: fields
                .iter()
                .map(|(f, ty)| ir::Field {
                    api_name: f.to_string(),
                    rust_name: f.to_string(),
                    ty: ty.clone(),
                    required: false,
                    doc: String::new(),
                    sensitive: false,
                })
                .collect(),
            groups: Vec::new(),
            input: false,
        }
    }

    fn to(name: &str) -> Type {
        Type::Struct {
            name: name.to_string(),
            boxed: false,
        }
    }

    fn boxed_fields(structs: &[ir::Struct]) -> Vec<String> {
        structs
            .iter()
            .flat_map(|s| {
                s.fields
                    .iter()
                    .filter(|f| matches!(f.ty, Type::Struct { boxed: true, .. }))
                    .map(move |f| format!("{}.{}", s.rust_name, f.rust_name))
            })
            .collect()
    }

    #[test]
    fn only_fields_on_a_cycle_are_boxed() {
        let mut structs = vec![
            // A self-reference.
            structure(
                "Tree",
                &[
                    ("Parent", to("Tree")),
                    ("Children", Type::List(Box::new(to("Tree")))),
                ],
            ),
            // A cycle of three, entered from outside.
            structure("A", &[("B", to("B")), ("Leaf", to("Leaf"))]),
            structure("B", &[("C", to("C"))]),
            structure("C", &[("A", to("A")), ("Missing", to("Missing"))]),
            structure("Entry", &[("A", to("A"))]),
            structure("Leaf", &[("X", Type::String)]),
            // A cycle only through a `Vec`: no box needed.
            structure("P", &[("Qs", Type::List(Box::new(to("Q"))))]),
            structure("Q", &[("P", to("P"))]),
        ];
        box_cycles(&mut structs);
        assert_eq!(boxed_fields(&structs), ["Tree.Parent", "A.B", "B.C", "C.A"]);
    }

    #[test]
    fn components_of_a_long_chain_and_a_long_cycle() {
        // Deep enough to overflow a recursive search on a small stack.
        let n = 200_000;
        let chain: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        let c = strongly_connected_components(&chain);
        assert_eq!(c.iter().collect::<BTreeSet<_>>().len(), n);
        let cycle: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let c = strongly_connected_components(&cycle);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
