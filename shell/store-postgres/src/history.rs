//! A contact's history and its search in PostgreSQL: whole words and the word being typed (as a
//! prefix) in one `tsquery` over accent-folded `tsvector`s of messages and notes, limited to the
//! contact's interactions, best first; the excerpt is made as every store makes it.

use postgres::GenericClient;
use switchboard_sdk::Timestamp;
use switchboard_seam::records::{HistoryItem, HistoryQuery};

const HISTORY_SELECT: &str = "SELECT i.id, i.media_type, i.created_ms, i.state, d.code, n.body,
        (SELECT COUNT(*) FROM messages m WHERE m.interaction_id = i.id),
        COALESCE((SELECT body FROM messages m WHERE m.interaction_id = i.id ORDER BY m.id LIMIT 1), '')
    FROM interactions i
    LEFT JOIN dispositions d ON d.interaction_id = i.id
    LEFT JOIN notes n ON n.interaction_id = i.id";

fn item(row: &postgres::Row) -> HistoryItem {
    HistoryItem {
        interaction: row.get(0),
        media_type: row.get(1),
        created: Timestamp(row.get(2)),
        state: row.get(3),
        disposition: row.get(4),
        note: row.get(5),
        messages: row.get::<_, i64>(6) as usize,
        excerpt: row.get(7),
    }
}

pub(crate) fn history(
    client: &mut impl GenericClient,
    contact_id: i64,
    limit: usize,
) -> Result<Vec<HistoryItem>, postgres::Error> {
    Ok(client
        .query(
            &format!(
                "{HISTORY_SELECT} WHERE i.contact_id = $1 ORDER BY i.created_ms DESC LIMIT $2"
            ),
            &[&contact_id, &(limit as i64)],
        )?
        .iter()
        .map(item)
        .collect())
}

/// The `tsquery` text: every whole word, and the word being typed as a prefix. Words are
/// letters and digits only (folded by [`HistoryQuery`]), quoted all the same.
fn tsquery(query: &HistoryQuery) -> String {
    let mut terms: Vec<String> = query.whole().iter().map(|w| format!("'{w}'")).collect();
    if let Some(prefix) = query.prefix() {
        terms.push(format!("'{prefix}':*"));
    }
    terms.join(" & ")
}

pub(crate) fn search(
    client: &mut impl GenericClient,
    contact_id: i64,
    text: &str,
    limit: usize,
) -> Result<Vec<HistoryItem>, postgres::Error> {
    let Some(query) = HistoryQuery::parse(text) else {
        return history(client, contact_id, limit);
    };
    let hits = client.query(
        "SELECT hit.interaction_id, hit.body FROM (
             SELECT m.interaction_id, m.body, ts_rank(m.search, q) AS rank, m.id AS seq
             FROM messages m JOIN interactions i ON i.id = m.interaction_id,
                  to_tsquery('simple', $2) q
             WHERE i.contact_id = $1 AND m.search @@ q
             UNION ALL
             SELECT n.interaction_id, n.body, ts_rank(n.search, q), 0
             FROM notes n JOIN interactions i ON i.id = n.interaction_id,
                  to_tsquery('simple', $2) q
             WHERE i.contact_id = $1 AND n.search @@ q
         ) hit ORDER BY hit.rank DESC, hit.seq",
        &[&contact_id, &tsquery(&query)],
    )?;
    let mut found: Vec<(String, String)> = Vec::new();
    for hit in hits {
        let id: String = hit.get(0);
        let body: String = hit.get(1);
        if query.matches_prefix(&body) && !found.iter().any(|(seen, _)| *seen == id) {
            found.push((id, query.excerpt(&body)));
            if found.len() == limit {
                break;
            }
        }
    }
    let mut items = Vec::with_capacity(found.len());
    for (id, excerpt) in found {
        if let Some(row) = client.query_opt(&format!("{HISTORY_SELECT} WHERE i.id = $1"), &[&id])? {
            items.push(HistoryItem {
                excerpt,
                ..item(&row)
            });
        }
    }
    Ok(items)
}
