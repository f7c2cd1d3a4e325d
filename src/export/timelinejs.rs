//! `timelinejs`: the JSON that Knight Lab's TimelineJS reads. Every dated
//! entity of a kind the ontology puts on timelines is a slide, grouped by
//! its side; mechanisms are also eras, the bands under the slides; each
//! slide's text carries its summary and its citations. Dates keep their
//! precision: `2017-04` is a month, not the first of April.

use serde::Serialize;

use super::csv::citations;
use super::escape::{html, html_read_twice};
use super::{ExportFile, Exporter};
use crate::model::date::{Date, Limit, Window};
use crate::model::entity::Entity;
use crate::model::graph::Dataset;

/// The `timelinejs` format.
pub struct TimelineJs;

#[derive(Serialize)]
struct Timeline {
    title: Slide,
    events: Vec<Slide>,
    eras: Vec<Era>,
}

#[derive(Serialize)]
struct Slide {
    #[serde(skip_serializing_if = "Option::is_none")]
    unique_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<TjsDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<TjsDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_date: Option<String>,
    text: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
}

#[derive(Serialize)]
struct Era {
    start_date: TjsDate,
    end_date: TjsDate,
    text: Text,
}

#[derive(Serialize)]
struct Text {
    headline: String,
    text: String,
}

/// A TimelineJS date: a year, with a month and a day when known.
#[derive(Serialize, Clone)]
struct TjsDate {
    year: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<u32>,
}

/// The most precise date every day of the window shares: a day, a month or
/// a year (the earliest one when the window spans years).
fn tjs_date(w: Window) -> Option<TjsDate> {
    let (Limit::Day(a), b) = (w.earliest, w.latest) else {
        return match w.latest {
            Limit::Day(d) => Some(TjsDate {
                year: d.ymd().0,
                month: None,
                day: None,
            }),
            _ => None,
        };
    };
    let (y, m, d) = a.ymd();
    let Limit::Day(b) = b else {
        return Some(TjsDate {
            year: y,
            month: None,
            day: None,
        });
    };
    let (y2, m2, d2) = b.ymd();
    Some(if (y, m, d) == (y2, m2, d2) {
        TjsDate {
            year: y,
            month: Some(m),
            day: Some(d),
        }
    } else if (y, m) == (y2, m2) {
        TjsDate {
            year: y,
            month: Some(m),
            day: None,
        }
    } else {
        TjsDate {
            year: y,
            month: None,
            day: None,
        }
    })
}

impl Exporter for TimelineJs {
    fn name(&self) -> &'static str {
        "timelinejs"
    }

    fn about(&self) -> &'static str {
        "JSON for Knight Lab's TimelineJS: slides by side, mechanisms as eras"
    }

    fn export(&self, ds: &Dataset) -> Vec<ExportFile> {
        let o = ds.ontology();
        let on_timeline = |e: &Entity| o.kinds.get(&e.kind).is_some_and(|k| k.timeline);
        let mut events = Vec::new();
        let mut eras = Vec::new();
        let mut last: Option<TjsDate> = None;
        for e in ds.entities().filter(|e| on_timeline(e)) {
            let Some(d) = &e.date else { continue };
            let Some(start) = tjs_date(d.start()) else {
                continue;
            };
            let end = if d.is_interval() {
                tjs_date(d.end())
            } else {
                None
            };
            for x in [Some(&start), end.as_ref()].into_iter().flatten() {
                if last.as_ref().is_none_or(|l| l.year < x.year) {
                    last = Some(x.clone());
                }
            }
            events.push(Slide {
                unique_id: Some(e.id.to_string()),
                start_date: Some(start),
                end_date: end,
                display_date: Some(html_read_twice(d.human())),
                text: Text {
                    headline: html(e.label()).into_owned(),
                    text: slide_text(ds, e, d),
                },
                group: e.side.as_ref().map(|s| {
                    html_read_twice(o.sides.get(s).map_or(s.as_str(), |d| d.label.as_str()))
                }),
            });
        }
        // Eras: the mechanisms' spans, from the earliest day each can have
        // begun to the latest it can have ended; an open one runs to the
        // end of the last year shown. TimelineJS needs an era to start
        // before it ends, so one whose start is unknown is left out.
        let last_day = last.as_ref().map(|l| (l.year, 12, 31));
        for e in ds.entities().filter(|e| is_lineage_kind(ds, e)) {
            let Some(d) = &e.date else { continue };
            if ds.never_existed(e) || !d.is_interval() {
                continue;
            }
            let Limit::Day(start) = d.start().earliest else {
                continue;
            };
            let end = match d.end().latest {
                Limit::Day(day) => Some(day.ymd()),
                _ => last_day,
            };
            let Some(end) = end.filter(|end| *end > start.ymd()) else {
                continue;
            };
            let day = |(year, month, day): (i64, u32, u32)| TjsDate {
                year,
                month: Some(month),
                day: Some(day),
            };
            eras.push(Era {
                start_date: day(start.ymd()),
                end_date: day(end),
                text: Text {
                    headline: html(e.label()).into_owned(),
                    text: html(d.human()).into_owned(),
                },
            });
        }
        let doc = Timeline {
            title: Slide {
                unique_id: None,
                start_date: None,
                end_date: None,
                display_date: None,
                text: Text {
                    headline: "Dialogue mechanisms and the events around them".into(),
                    text: format!(
                        "<p>{} dated entries, with their sources. Made with detente.</p>",
                        events.len()
                    ),
                },
                group: None,
            },
            events,
            eras,
        };
        let mut bytes = serde_json::to_vec_pretty(&doc).expect("serialisable");
        bytes.push(b'\n');
        vec![ExportFile {
            name: "timeline.json".into(),
            bytes,
        }]
    }
}

/// Whether the entity's kind stands at either end of a lineage relation:
/// the mechanisms of a dataset with its own vocabulary.
fn is_lineage_kind(ds: &Dataset, e: &Entity) -> bool {
    ds.ontology()
        .relations
        .values()
        .filter(|d| d.lineage)
        .any(|d| {
            d.from
                .as_ref()
                .is_some_and(|k| k.iter().any(|v| v.as_str() == e.kind.as_str()))
        })
}

fn slide_text(ds: &Dataset, e: &Entity, d: &Date) -> String {
    let mut s = String::new();
    if e.label() != e.name {
        s.push_str(&format!("<p><b>{}</b></p>", html(&e.name)));
    }
    if let Some(summary) = &e.summary {
        s.push_str(&format!("<p>{}</p>", html(summary)));
    }
    s.push_str(&format!(
        "<p>Date: {} <code>{}</code></p>",
        html(d.human()),
        html(d.as_str())
    ));
    if !e.sources.is_empty() {
        s.push_str(&format!(
            "<p class=\"sources\">Sources: {}</p>",
            html(&citations(ds, &e.sources))
        ));
    }
    s
}
