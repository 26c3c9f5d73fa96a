//! The core's modules depend on each other in one direction only: data flows file → model →
//! checks → `Playable` → engine → scoring → results, and nothing flows back up. This test reads
//! the `crate::…` paths in each module's code (comments and tests left out) and fails on a cycle.

use std::collections::BTreeMap;
use std::path::Path;

fn module_graph() -> BTreeMap<String, Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules: Vec<String> = std::fs::read_dir(&src)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().ok()?;
            let module = name.strip_suffix(".rs")?.to_owned();
            (module != "lib").then_some(module)
        })
        .collect();
    let mut graph = BTreeMap::new();
    for module in &modules {
        let text = std::fs::read_to_string(src.join(format!("{module}.rs"))).unwrap();
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or_default()
            .lines()
            .map(|l| l.split("//").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        let mut deps: Vec<String> = code
            .split("crate::")
            .skip(1)
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .filter(|d| d != module && modules.contains(d))
            .collect();
        deps.sort();
        deps.dedup();
        graph.insert(module.clone(), deps);
    }
    graph
}

fn find_cycle(graph: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    fn visit(
        u: &str,
        graph: &BTreeMap<String, Vec<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(u.to_owned(), 1);
        path.push(u.to_owned());
        for v in &graph[u] {
            match state.get(v) {
                Some(1) => {
                    let start = path.iter().position(|p| p == v).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(v.clone());
                    return Some(cycle);
                }
                None => {
                    if let Some(c) = visit(v, graph, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(u.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in graph.keys() {
        if !state.contains_key(m)
            && let Some(c) = visit(m, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_core_has_no_import_cycle() {
    let graph = module_graph();
    assert!(graph.len() > 10, "modules found: {graph:?}");
    assert!(graph["engine"].contains(&"playable".to_owned()));
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle in the core: {}", cycle.join(" → "));
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_owned(), vec!["b".to_owned()]);
    graph.insert("b".to_owned(), vec!["a".to_owned()]);
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "a"]);
}
