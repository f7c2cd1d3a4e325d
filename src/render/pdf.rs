//! Joining PDF documents page after page, with `lopdf`: a diagram's page
//! from Graphviz, then its citations' pages (also from Graphviz), as one
//! handout file. Graphviz's cairo PDF writer draws one graph a file and
//! does not paginate, so the pages are drawn apart and put together here.

use lopdf::{Dictionary, Document, Object, ObjectId};

/// Attributes a page may inherit from its page tree (PDF 1.7, 7.7.3.4):
/// copied onto each page moved, since it leaves its old tree behind.
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

/// A4 in points: the paper a handout's pages are set on.
pub const A4_PT: (f64, f64) = (595.28, 841.89);

/// Where a drawing goes on a larger page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageBox {
    /// The page's width and height, in points.
    pub size: (f64, f64),
    /// At the top of the page (a page of text), else in its middle.
    pub top: bool,
}

/// The pages of `docs`, in order, as one PDF document. Each input is a
/// whole PDF file, with the page it is to be set on: Graphviz makes every
/// page the size of its drawing, so a handout's page box is widened to
/// the paper around it (the drawing stays where it is, centred across).
/// The first input's catalog and metadata are kept.
pub fn join_pages(docs: &[(Vec<u8>, Option<PageBox>)]) -> Result<Vec<u8>, String> {
    let mut docs = docs.iter();
    let (first, first_box) = docs.next().ok_or("no PDF to join")?;
    let mut out = Document::load_mem(first).map_err(|e| e.to_string())?;
    let root = pages_root(&out)?;
    if let Some(b) = first_box {
        let pages: Vec<ObjectId> = out.get_pages().into_values().collect();
        let fallback = out
            .get_object(root)
            .and_then(Object::as_dict)
            .ok()
            .and_then(|d| d.get(b"MediaBox").ok().cloned());
        for id in pages {
            set_page_box(&mut out, id, *b, fallback.as_ref())?;
        }
    }
    for (bytes, page_box) in docs {
        let mut doc = Document::load_mem(bytes).map_err(|e| e.to_string())?;
        doc.renumber_objects_with(out.max_id + 1);
        let their_root = pages_root(&doc)?;
        let inherited: Dictionary = {
            let tree = doc
                .get_object(their_root)
                .and_then(Object::as_dict)
                .map_err(|e| e.to_string())?;
            let mut d = Dictionary::new();
            for key in INHERITED {
                if let Ok(v) = tree.get(key) {
                    d.set(key.to_vec(), v.clone());
                }
            }
            d
        };
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        out.max_id = doc.max_id;
        out.objects.extend(std::mem::take(&mut doc.objects));
        for id in &pages {
            let page = out
                .get_object_mut(*id)
                .and_then(Object::as_dict_mut)
                .map_err(|e| e.to_string())?;
            page.set("Parent", Object::Reference(root));
            for (k, v) in inherited.iter() {
                if !page.has(k) {
                    page.set(k.clone(), v.clone());
                }
            }
            if let Some(b) = page_box {
                set_page_box(&mut out, *id, *b, None)?;
            }
        }
        let tree = out
            .get_object_mut(root)
            .and_then(Object::as_dict_mut)
            .map_err(|e| e.to_string())?;
        let kids = tree
            .get_mut(b"Kids")
            .and_then(Object::as_array_mut)
            .map_err(|e| e.to_string())?;
        kids.extend(pages.iter().map(|id| Object::Reference(*id)));
        let count = kids.len() as i64;
        tree.set("Count", count);
    }
    // The joined documents' own catalogs and page trees are now unreachable.
    out.prune_objects();
    let mut bytes = Vec::new();
    out.save_to(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes)
}

fn pages_root(doc: &Document) -> Result<ObjectId, String> {
    doc.catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|e| format!("a PDF without a page tree: {e}"))
}

/// Widens a page's media box to `b.size` around the drawing on it.
fn set_page_box(
    doc: &mut Document,
    id: ObjectId,
    b: PageBox,
    fallback: Option<&Object>,
) -> Result<(), String> {
    let page = doc
        .get_object_mut(id)
        .and_then(Object::as_dict_mut)
        .map_err(|e| e.to_string())?;
    let media = page
        .get(b"MediaBox")
        .ok()
        .or(fallback)
        .and_then(|m| m.as_array().ok())
        .ok_or("a PDF page without a media box")?;
    let n: Vec<f64> = media
        .iter()
        .filter_map(|v| v.as_float().ok().map(f64::from))
        .collect();
    let [x0, y0, x1, y1] = n[..] else {
        return Err("a PDF page whose media box is not four numbers".into());
    };
    let (w, h) = (x1 - x0, y1 - y0);
    let (pw, ph) = (b.size.0.max(w), b.size.1.max(h));
    let left = x0 - (pw - w) / 2.0;
    let bottom = if b.top { y1 - ph } else { y0 - (ph - h) / 2.0 };
    let media: Vec<Object> = [left, bottom, left + pw, bottom + ph]
        .into_iter()
        .map(|v| Object::Real(v as f32))
        .collect();
    page.set("MediaBox", media);
    // A crop box would show the old size in viewers that honour it.
    page.remove(b"CropBox");
    Ok(())
}
