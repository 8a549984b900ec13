//! A YAML tree that keeps what serde throws away: every node's position in the file and every
//! scalar's text exactly as written (`version: 1.10` stays "1.10"). Built from saphyr-parser's
//! event stream, so a syntax error carries its line and column too.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle};

/// A node of the front-matter tree; `span` is a byte range of the whole file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A scalar's text; `plain` is false for quoted and block scalars.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar's text, if this is a scalar.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// True for `~`, `null`, or an empty plain scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn describe(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar { .. } if self.is_null() => "nothing",
            Kind::Scalar { .. } => "a single value",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}

/// A YAML syntax error at a byte offset of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub offset: usize,
}

/// How many nodes aliases (`*name`) may copy into one front-matter in all: a few kilobytes of
/// nested aliases would otherwise expand to billions of nodes.
pub const MAX_ALIAS_NODES: usize = 10_000;
/// How deeply collections may nest (the tree is dropped and compared recursively).
pub const MAX_DEPTH: usize = 64;

/// Parses `yaml`, which starts at byte `base` of its file. An empty document gives `None`.
pub fn parse(yaml: &str, base: usize) -> Result<Option<Node>, SyntaxError> {
    let map = CharMap::new(yaml);
    let to_byte = |char_idx: usize| base + map.byte(char_idx);
    let mut stack: Vec<Frame> = Vec::new();
    // Anchor id → the node and how many nodes it holds.
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut alias_nodes = 0usize;
    let mut root: Option<Node> = None;
    let mut parser = Parser::new_from_str(yaml);
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(e)) => e,
            Some(Err(e)) => {
                return Err(SyntaxError {
                    message: e.info().to_string(),
                    offset: to_byte(e.marker().index()),
                });
            }
        };
        let start = to_byte(span.start.index());
        let end = to_byte(span.end.index()).max(start);
        let (complete, weight) = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
            Event::DocumentStart(_) => {
                if root.is_some() {
                    return Err(SyntaxError {
                        message: "only one YAML document is allowed in front-matter".into(),
                        offset: start,
                    });
                }
                continue;
            }
            Event::Scalar(text, style, anchor, _tag) => {
                let node = Node {
                    kind: Kind::Scalar {
                        text: text.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    },
                    span: start..end,
                };
                if anchor > 0 {
                    anchors.insert(anchor, (node.clone(), 1));
                }
                (node, 1)
            }
            Event::Alias(id) => expand_alias(&anchors, id, &mut alias_nodes, start..end)?,
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => {
                return Err(SyntaxError {
                    message: format!("collections are nested more than {MAX_DEPTH} levels deep"),
                    offset: start,
                });
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq {
                    weight: 1,
                    start,
                    anchor,
                    items: Vec::new(),
                });
                continue;
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map {
                    weight: 1,
                    start,
                    anchor,
                    items: Vec::new(),
                    key: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = stack.pop() else {
                    return Err(SyntaxError {
                        message: "unbalanced collection".into(),
                        offset: start,
                    });
                };
                let (node, anchor, weight) = frame.finish(end);
                if anchor > 0 {
                    anchors.insert(anchor, (node.clone(), weight));
                }
                (node, weight)
            }
        };
        attach(&mut stack, &mut root, complete, weight);
    }
    Ok(root)
}

/// An alias: a copy of its anchor's node at the alias's place. The values aliases expand to
/// are counted in `alias_nodes`, and too many are refused.
fn expand_alias(
    anchors: &HashMap<usize, (Node, usize)>,
    id: usize,
    alias_nodes: &mut usize,
    span: std::ops::Range<usize>,
) -> Result<(Node, usize), SyntaxError> {
    let Some((n, weight)) = anchors.get(&id) else {
        return Err(SyntaxError {
            message: "alias to an unknown anchor".into(),
            offset: span.start,
        });
    };
    *alias_nodes = alias_nodes.saturating_add(*weight);
    if *alias_nodes > MAX_ALIAS_NODES {
        return Err(SyntaxError {
            message: format!(
                "aliases expand to more than {MAX_ALIAS_NODES} values; write the values out instead of repeating `*` aliases"
            ),
            offset: span.start,
        });
    }
    Ok((
        Node {
            kind: n.kind.clone(),
            span,
        },
        *weight,
    ))
}

/// Puts a finished node into the collection being read, or makes it the root.
fn attach(stack: &mut [Frame], root: &mut Option<Node>, node: Node, weight: usize) {
    match stack.last_mut() {
        None => *root = Some(node),
        Some(Frame::Seq {
            items, weight: w, ..
        }) => {
            *w = w.saturating_add(weight);
            items.push(node);
        }
        Some(Frame::Map {
            items,
            key,
            weight: w,
            ..
        }) => {
            *w = w.saturating_add(weight);
            match key.take() {
                None => *key = Some(node),
                Some(k) => items.push((k, node)),
            }
        }
    }
}

/// A collection being read; `weight` counts its nodes so far (itself included).
enum Frame {
    Seq {
        weight: usize,
        start: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        weight: usize,
        start: usize,
        anchor: usize,
        items: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

impl Frame {
    fn finish(self, end: usize) -> (Node, usize, usize) {
        match self {
            Frame::Seq {
                weight,
                start,
                anchor,
                items,
            } => {
                let end = items.last().map_or(end, |n| n.span.end.max(start));
                (
                    Node {
                        kind: Kind::Seq(items),
                        span: start..end,
                    },
                    anchor,
                    weight,
                )
            }
            Frame::Map {
                weight,
                start,
                anchor,
                items,
                ..
            } => {
                let end = items.last().map_or(end, |(_, v)| v.span.end.max(start));
                (
                    Node {
                        kind: Kind::Map(items),
                        span: start..end,
                    },
                    anchor,
                    weight,
                )
            }
        }
    }
}

/// Character index → byte offset, cheap for the common all-ASCII case.
struct CharMap(Option<Vec<usize>>);

impl CharMap {
    fn new(s: &str) -> Self {
        if s.is_ascii() {
            CharMap(None)
        } else {
            CharMap(Some(
                s.char_indices().map(|(i, _)| i).chain([s.len()]).collect(),
            ))
        }
    }

    fn byte(&self, char_idx: usize) -> usize {
        match &self.0 {
            None => char_idx,
            Some(v) => v
                .get(char_idx)
                .copied()
                .unwrap_or_else(|| v.last().copied().unwrap_or(0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(n: &Node) -> &[(Node, Node)] {
        match &n.kind {
            Kind::Map(m) => m,
            _ => &[],
        }
    }

    #[test]
    fn keeps_scalar_text_and_offsets() {
        let src = "---\nversion: 1.10\ntitle: \"Ünïcode\"\nlist: [a, b]\n";
        let yaml = &src[4..];
        let root = parse(yaml, 4).expect("parses").expect("document");
        let m = map(&root);
        assert_eq!(m[0].1.as_scalar(), Some("1.10"));
        assert_eq!(&src[m[0].1.span.clone()], "1.10");
        assert_eq!(m[1].1.as_scalar(), Some("Ünïcode"));
        assert_eq!(&src[m[1].1.span.clone()], "\"Ünïcode\"");
        assert!(matches!(&m[2].1.kind, Kind::Seq(v) if v.len() == 2));
        assert_eq!(m[2].0.span.start, src.find("list").unwrap_or(0));
    }

    #[test]
    fn an_alias_bomb_is_refused_quickly() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(src.len() < 600, "{}", src.len());
        let err = parse(&src, 0).expect_err("refused");
        assert!(err.message.contains("aliases expand"), "{err:?}");
        // A few aliases are fine.
        let ok = parse("a: &x [1, 2]\nb: *x\nc: *x\n", 0).expect("parses");
        assert!(ok.is_some());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        // The parser's own recursion limit or ours, whichever comes first.
        let err = parse(&deep, 0).expect_err("refused");
        assert!(
            err.message.contains("nested") || err.message.contains("recursion"),
            "{err:?}"
        );
        let block: String = (0..100)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        let err = parse(&block, 0).expect_err("refused");
        assert!(err.message.contains("nested"), "{err:?}");
        let fine = format!("a: {}{}\n", "[".repeat(20), "]".repeat(20));
        assert!(parse(&fine, 0).is_ok());
    }

    #[test]
    fn syntax_error_has_an_offset() {
        let src = "id: A\ntitle: [unclosed\n";
        let err = parse(src, 0).expect_err("invalid");
        assert!(err.offset > 6, "{err:?}");
    }
}
