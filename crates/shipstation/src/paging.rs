//! Walking a paged listing (`GET /orders`, `/shipments`, `/fulfillments`) to its end, and stopping
//! it when the server would keep it going for ever: a page that brings only rows already listed
//! (a caching proxy answering page 1 to every page), or more pages than the server's own `total`
//! fills (`"pages": 4294967295`). Rows that move between pages while listing (sorted by a date that
//! changes) make a page with *some* repeats, which goes on.
//!
//! | the answer to page N | next |
//! |---|---|
//! | N ≥ `pages`, having listed the `total` rows announced | the end |
//! | N ≥ `pages` with fewer rows listed than `total`, or no row at all (not even a `null` or unreadable one) before page `pages` | stop: [`Error::ListingCutShort`] (rows were skipped: an empty page, or rows that moved up a page while listing) |
//! | rows, none of them new | stop: [`Runaway::OnlyRepeats`] |
//! | N ≥ ⌈`total` / page size⌉ + 1 (one page more for rows added while listing) | stop: [`Runaway::BeyondTotal`] |
//! | otherwise | page N + 1 |
//!
//! The page size is the query's (`pageSize`, 100 when none is given: shipstation.md, "Orders"),
//! which the API honours up to 500.

use std::collections::HashSet;
use std::future::Future;

use futures::Stream;

use crate::error::{Error, Result, Runaway};
use crate::models::page::Page;

/// `pageSize` when a query names none.
const DEFAULT_PAGE_SIZE: u32 = 100;

/// A listing in progress: the page to ask for and the ids listed so far.
#[derive(Debug)]
struct Listing {
    page: u32,
    page_size: u32,
    seen: HashSet<i64>,
    /// Rows listed so far that have no id to compare (`null`, unreadable).
    unnamed: u64,
}

impl Listing {
    fn new(first: Option<u32>, page_size: Option<u32>) -> Self {
        Self {
            page: first.unwrap_or(1),
            page_size: page_size.unwrap_or(DEFAULT_PAGE_SIZE).max(1),
            seen: HashSet::new(),
            unnamed: 0,
        }
    }

    /// What the answer to the current page says (the module's table).
    fn after<T>(&mut self, answer: &Page<T>, id: fn(&T) -> i64) -> Next {
        // A row that did not read has no id to compare: it counts as new.
        let new = answer
            .items
            .iter()
            .filter(|row| self.seen.insert(id(row)))
            .count()
            + answer.unreadable.len();
        self.unnamed += answer.unreadable.len() as u64 + u64::from(answer.null_rows_skipped);
        let empty = answer.items.is_empty()
            && answer.unreadable.is_empty()
            && answer.null_rows_skipped == 0;
        let listed = self.seen.len() as u64 + self.unnamed;
        if (self.page >= answer.pages && listed < answer.total)
            || (self.page < answer.pages && empty)
        {
            return Next::CutShort {
                listed,
                total: answer.total,
            };
        }
        if self.page >= answer.pages {
            return Next::End;
        }
        if new == 0 && !answer.items.is_empty() {
            return Next::Runaway(Runaway::OnlyRepeats);
        }
        let filled = answer.total.div_ceil(u64::from(self.page_size));
        if u64::from(self.page) > filled {
            return Next::Runaway(Runaway::BeyondTotal {
                total: answer.total,
                page_size: self.page_size,
            });
        }
        self.page += 1;
        Next::Page(self.page)
    }
}

/// What follows a page of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// This page.
    Page(u32),
    /// Nothing: it was the last.
    End,
    /// Nothing can, yet rows were skipped: fewer listed than the server announced.
    CutShort {
        /// Distinct rows listed.
        listed: u64,
        /// The rows announced.
        total: u64,
    },
    /// Nothing must: the server would keep the listing going.
    Runaway(Runaway),
}

/// Every row of `endpoint`'s listing, page after page from `first` (default 1): `fetch` reads
/// one page, `id` names a row. A row that does not read comes as an [`Error::UnreadableRow`] item
/// and the listing goes on past it. Ends at the last page the server announces; stopped with
/// [`Error::EndlessListing`] when the server would keep it going, with [`Error::ListingCutShort`]
/// when it ends with fewer rows than announced, or with the error of a page that failed.
pub(crate) fn every_row<'a, T, Fut>(
    endpoint: &'static str,
    first: Option<u32>,
    page_size: Option<u32>,
    fetch: impl Fn(u32) -> Fut + 'a,
    id: fn(&T) -> i64,
) -> impl Stream<Item = Result<T>> + 'a
where
    T: 'a,
    Fut: Future<Output = Result<Page<T>>> + 'a,
{
    async_stream::stream! {
        let mut listing = Listing::new(first, page_size);
        loop {
            let page = listing.page;
            let answer = match fetch(page).await {
                Ok(answer) => answer,
                Err(error) => {
                    yield Err(error);
                    break;
                }
            };
            let next = listing.after(&answer, id);
            for row in answer.items {
                yield Ok(row);
            }
            for row in answer.unreadable {
                yield Err(Error::UnreadableRow(Box::new(row)));
            }
            match next {
                Next::Page(_) => {}
                Next::End => break,
                Next::CutShort { listed, total } => {
                    yield Err(Error::ListingCutShort { endpoint, page, listed, total });
                    break;
                }
                Next::Runaway(runaway) => {
                    yield Err(Error::EndlessListing { endpoint, page, runaway });
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn answer(ids: &[i64], nulls: u32, total: u64, pages: u32) -> Page<i64> {
        Page {
            items: ids.to_vec(),
            unreadable: Vec::new(),
            total,
            page: 0,
            pages,
            null_rows_skipped: nulls,
        }
    }

    /// Each answer in turn to a listing of 2 rows a page: what it says after the last one.
    fn listed(answers: &[Page<i64>]) -> Next {
        let mut listing = Listing::new(None, Some(2));
        let mut next = Next::Page(1);
        for answer in answers {
            next = listing.after(answer, |id| *id);
        }
        next
    }

    #[rstest]
    #[case::a_full_page_of_several(&[answer(&[1, 2], 0, 5, 3)], Next::Page(2))]
    #[case::the_last_announced_page(&[answer(&[1, 2], 0, 4, 2), answer(&[3, 4], 0, 4, 2)], Next::End)]
    #[case::nothing_matches(&[answer(&[], 0, 0, 0)], Next::End)]
    #[case::an_empty_page_before_the_last_cuts_it_short(&[answer(&[1, 2], 0, 6, 3), answer(&[], 0, 6, 3)], Next::CutShort { listed: 2, total: 6 })]
    #[case::an_empty_last_page_ends_it(&[answer(&[1, 2], 0, 4, 2), answer(&[], 0, 2, 1)], Next::End)]
    #[case::a_row_skipped_as_rows_moved_up_a_page(&[answer(&[1, 2], 0, 5, 3), answer(&[4, 5], 0, 5, 3), answer(&[2], 0, 5, 3)], Next::CutShort { listed: 4, total: 5 })]
    #[case::a_page_of_only_nulls_goes_on(&[answer(&[1, 2], 0, 6, 3), answer(&[], 2, 6, 3)], Next::Page(3))]
    #[case::some_rows_moved_from_an_earlier_page(&[answer(&[1, 2], 0, 6, 3), answer(&[2, 3], 0, 6, 3)], Next::Page(3))]
    #[case::rows_added_while_listing_one_page_more(&[answer(&[1, 2], 0, 4, 3), answer(&[3, 4], 0, 4, 3)], Next::Page(3))]
    #[case::page_one_over_and_over(&[answer(&[1, 2], 0, 2, u32::MAX), answer(&[1, 2], 0, 2, u32::MAX)], Next::Runaway(Runaway::OnlyRepeats))]
    #[case::a_last_page_of_only_repeats_leaves_rows_unlisted(&[answer(&[1, 2], 0, 4, 2), answer(&[2, 1], 0, 4, 2)], Next::CutShort { listed: 2, total: 4 })]
    #[case::pages_beyond_the_total(&[answer(&[1], 0, 1, u32::MAX), answer(&[2], 0, 1, u32::MAX)], Next::Runaway(Runaway::BeyondTotal { total: 1, page_size: 2 }))]
    #[case::only_nulls_beyond_the_total(&[answer(&[], 1, 0, u32::MAX), answer(&[], 1, 0, u32::MAX)], Next::Runaway(Runaway::BeyondTotal { total: 0, page_size: 2 }))]
    fn a_listing_goes_on_ends_or_stops(#[case] answers: &[Page<i64>], #[case] expected: Next) {
        assert_eq!(listed(answers), expected);
    }

    #[test]
    fn the_operator_reads_what_the_server_did() {
        assert_eq!(
            Runaway::BeyondTotal {
                total: 250,
                page_size: 100
            }
            .told(5),
            "page 5 was not the last, though its total of 250 records fills 3 pages of 100"
        );
    }
}
