//! Which items of a poll are new: the part of a trigger that decides, kept free of I/O so that every rule can
//! be tested on its own.
//!
//! A poll reads the list newest first (by the trigger's timestamp) and stops at the first item older than the
//! *floor*: the newest timestamp delivered so far minus the de-duplication window. Everything at or above the
//! floor is read again on every poll, and an item is new when it was not delivered before, or was delivered
//! with an older timestamp (an update). So:
//!
//! * items that share the boundary timestamp are told apart by id;
//! * an item a poll missed because the list shifted under it (an item removed from an earlier page) is
//!   delivered by a later poll, as long as its timestamp is within the window;
//! * an item updated twice between two polls is one item with its latest timestamp: delivered once;
//! * an item repeated on two pages (the list grew while it was read) is one candidate.
//!
//! The first poll of a trigger without a cursor delivers nothing: it marks where "from now on" starts (the
//! newest item's timestamp, or the client's clock when the list is empty; an item of the next seconds is
//! still delivered when the clocks differ by less than the window, since the window is read again).

use std::collections::BTreeMap;

use super::cursor::Cursor;

/// Whether to read on after an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    More,
    Stop,
}

/// The items of one poll, as they are read.
pub(crate) struct Selection<T> {
    /// `None` on the first poll, whose newest item sets it.
    floor: Option<i64>,
    window: i64,
    /// The first poll of a trigger: it delivers nothing.
    baseline: bool,
    newest: Option<i64>,
    recent: BTreeMap<String, i64>,
    candidates: BTreeMap<String, (i64, T)>,
}

impl<T> Selection<T> {
    /// A poll from `cursor`; `window` is the de-duplication window, in seconds.
    pub(crate) fn new(cursor: &Cursor, window: i64) -> Self {
        Selection {
            floor: cursor.since.map(|since| since.saturating_sub(window)),
            window,
            baseline: cursor.since.is_none(),
            newest: cursor.since,
            recent: cursor.recent.clone(),
            candidates: BTreeMap::new(),
        }
    }

    /// Takes the next item of the list (newest first); an item without a timestamp is never new.
    pub(crate) fn offer(&mut self, id: String, since: Option<i64>, item: T) -> Read {
        let Some(since) = since else { return Read::More };
        let floor = *self.floor.get_or_insert(since.saturating_sub(self.window));
        if since < floor {
            return Read::Stop;
        }
        if self.baseline {
            self.newest = Some(self.newest.map_or(since, |newest| newest.max(since)));
            self.recent.insert(id, since);
            return Read::More;
        }
        let delivered = self.recent.get(&id).is_some_and(|delivered| *delivered >= since);
        let seen = self.candidates.get(&id).is_some_and(|(candidate, _)| *candidate >= since);
        if !delivered && !seen {
            self.candidates.insert(id, (since, item));
        }
        Read::More
    }

    /// The new items, oldest first (ties by id), and for a first poll the cursor that marks where it started;
    /// `now` (Unix seconds) starts a trigger whose list is empty.
    pub(crate) fn finish(self, trigger: &str, now: i64) -> (Vec<(String, i64, T)>, Option<Cursor>) {
        if self.baseline {
            let since = Some(self.newest.unwrap_or(now));
            return (Vec::new(), Some(Cursor { trigger: trigger.to_owned(), since, recent: self.recent }));
        }
        let mut items: Vec<(String, i64, T)> =
            self.candidates.into_iter().map(|(id, (since, item))| (id, since, item)).collect();
        items.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
        (items, None)
    }
}

/// Records that the item `id`, with timestamp `since`, was delivered; forgets what fell out of the window.
pub(crate) fn deliver(cursor: &mut Cursor, id: String, since: i64, window: i64) {
    let newest = cursor.since.map_or(since, |newest| newest.max(since));
    cursor.since = Some(newest);
    cursor.recent.insert(id, since);
    let floor = newest.saturating_sub(window);
    cursor.recent.retain(|_, delivered| *delivered >= floor);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(since: Option<i64>, recent: &[(&str, i64)]) -> Cursor {
        Cursor {
            trigger: "t".to_owned(),
            since,
            recent: recent.iter().map(|(id, at)| ((*id).to_owned(), *at)).collect(),
        }
    }

    /// Offers items (newest first) until the selection stops; the ids it would deliver, in order.
    fn poll(cursor: &Cursor, items: &[(&str, i64)]) -> (Vec<String>, usize) {
        let mut selection = Selection::new(cursor, 60);
        let mut read = 0;
        for (id, at) in items {
            read += 1;
            if selection.offer((*id).to_owned(), Some(*at), ()) == Read::Stop {
                break;
            }
        }
        let (items, _) = selection.finish("t", 0);
        (items.into_iter().map(|(id, _, ())| id).collect(), read)
    }

    #[test]
    fn the_first_poll_delivers_nothing_and_marks_the_start() {
        let mut selection = Selection::new(&cursor(None, &[]), 60);
        for (id, at) in [("c", 1_000), ("b", 1_000), ("a", 950), ("z", 900)] {
            if selection.offer(id.to_owned(), Some(at), ()) == Read::Stop {
                break;
            }
        }
        let (items, start) = selection.finish("t", 5_000);
        assert!(items.is_empty());
        assert_eq!(start, Some(cursor(Some(1_000), &[("a", 950), ("b", 1_000), ("c", 1_000)])));
        let (_, start) = Selection::<()>::new(&cursor(None, &[]), 60).finish("t", 5_000);
        assert_eq!(start, Some(cursor(Some(5_000), &[])), "an empty list starts at the client's clock");
    }

    #[test]
    fn new_items_come_oldest_first_and_items_sharing_the_boundary_are_told_apart() {
        let start = cursor(Some(1_000), &[("a", 1_000)]);
        // `b` shares the boundary second with `a`, which was delivered; `c` and `d` are newer.
        let (ids, read) = poll(&start, &[("d", 1_010), ("c", 1_005), ("b", 1_000), ("a", 1_000), ("old", 500)]);
        assert_eq!(ids, ["b", "c", "d"]);
        assert_eq!(read, 5, "the poll stopped at the first item under the window");
    }

    #[test]
    fn an_item_updated_twice_between_polls_comes_once_and_a_later_update_again() {
        let start = cursor(Some(1_000), &[("u", 990)]);
        let (ids, _) = poll(&start, &[("u", 1_020), ("v", 1_010)]);
        assert_eq!(ids, ["v", "u"]);
        let mut after = start.clone();
        deliver(&mut after, "v".to_owned(), 1_010, 60);
        deliver(&mut after, "u".to_owned(), 1_020, 60);
        assert_eq!(poll(&after, &[("u", 1_020), ("v", 1_010)]).0, Vec::<String>::new());
        assert_eq!(poll(&after, &[("u", 1_030), ("v", 1_010)]).0, ["u"]);
    }

    #[test]
    fn an_item_a_shifting_list_made_a_poll_miss_comes_with_the_next() {
        let mut after = cursor(Some(1_000), &[]);
        // The first poll read `c` and `a` but not `b` (the list shifted under it).
        for (id, at) in [("a", 990), ("c", 1_000)] {
            deliver(&mut after, id.to_owned(), at, 60);
        }
        assert_eq!(poll(&after, &[("c", 1_000), ("b", 995), ("a", 990)]).0, ["b"]);
    }

    #[test]
    fn an_item_repeated_on_two_pages_is_one_item() {
        let start = cursor(Some(1_000), &[]);
        assert_eq!(poll(&start, &[("x", 1_001), ("y", 1_002), ("x", 1_001)]).0, ["x", "y"]);
    }

    #[test]
    fn delivering_forgets_what_falls_out_of_the_window() {
        let mut at = cursor(Some(1_000), &[("old", 930), ("kept", 950)]);
        deliver(&mut at, "new".to_owned(), 1_005, 60);
        assert_eq!(at, cursor(Some(1_005), &[("kept", 950), ("new", 1_005)]));
    }

    #[test]
    fn items_without_a_timestamp_are_never_new() {
        let mut selection = Selection::new(&cursor(Some(1_000), &[]), 60);
        assert_eq!(selection.offer("x".to_owned(), None, ()), Read::More);
        assert!(selection.finish("t", 0).0.is_empty());
    }
}
