//! The station's piles: a vector (stable indices) and an ordered index by id, with the last
//! lookup remembered — most calls look up the same pile several times in a row.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::cell::Cell;

use crate::model::PileId;

/// Piles by id.
#[derive(Debug, Clone)]
pub(crate) struct Table<T> {
    items: Vec<(PileId, T)>,
    index: BTreeMap<PileId, u32>,
    last: Cell<Option<(PileId, u32)>>,
    /// Positions of the piles handed out to change since [`clear_touched`](Self::clear_touched)
    /// (a position may repeat).
    touched: Vec<u32>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            index: BTreeMap::new(),
            last: Cell::new(None),
            touched: Vec::new(),
        }
    }
}

impl<T> Table<T> {
    fn position(&self, id: &PileId) -> Option<usize> {
        if let Some((last, at)) = self.last.get()
            && last == *id
        {
            return Some(at as usize);
        }
        let at = *self.index.get(id)?;
        self.last.set(Some((*id, at)));
        Some(at as usize)
    }

    /// The pile `id`.
    pub(crate) fn get(&self, id: &PileId) -> Option<&T> {
        self.position(id).map(|i| &self.items[i].1)
    }

    /// The pile `id`, to change.
    pub(crate) fn get_mut(&mut self, id: &PileId) -> Option<&mut T> {
        let i = self.position(id)?;
        self.touch(i);
        Some(&mut self.items[i].1)
    }

    fn touch(&mut self, i: usize) {
        if self.touched.last() != Some(&(i as u32)) {
            self.touched.push(i as u32);
        }
    }

    /// The positions of the piles changed since the last [`clear_touched`](Self::clear_touched)
    /// (a position may repeat).
    pub(crate) fn touched(&self) -> &[u32] {
        &self.touched
    }

    /// Forgets which piles were changed.
    pub(crate) fn clear_touched(&mut self) {
        self.touched.clear();
    }

    /// The pile at a position.
    pub(crate) fn at(&self, i: usize) -> &T {
        &self.items[i].1
    }

    /// How many piles.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// The pile `id`, made with `make` if new.
    pub(crate) fn get_or_insert_with(&mut self, id: PileId, make: impl FnOnce() -> T) -> &mut T {
        let at = match self.position(&id) {
            Some(at) => at,
            None => {
                let at = self.items.len();
                self.items.push((id, make()));
                self.index.insert(id, at as u32);
                self.last.set(Some((id, at as u32)));
                at
            }
        };
        self.touch(at);
        &mut self.items[at].1
    }

    /// Every pile with its id, in the order they became known.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&PileId, &T)> {
        self.items.iter().map(|(id, t)| (id, t))
    }

    /// Every pile.
    pub(crate) fn values(&self) -> impl Iterator<Item = &T> {
        self.items.iter().map(|(_, t)| t)
    }

    /// Every id, in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &PileId> {
        self.index.keys()
    }
}

impl<T> core::ops::Index<&PileId> for Table<T> {
    type Output = T;
    fn index(&self, id: &PileId) -> &T {
        self.get(id).expect("a known pile")
    }
}

#[cfg(feature = "serde")]
impl<T: serde::Serialize> serde::Serialize for Table<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter())
    }
}

#[cfg(feature = "serde")]
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Table<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items: Vec<(PileId, T)> = serde::Deserialize::deserialize(d)?;
        let mut index = BTreeMap::new();
        for (i, (id, _)) in items.iter().enumerate() {
            if index.insert(*id, i as u32).is_some() {
                return Err(serde::de::Error::custom("a pile appears twice"));
            }
        }
        Ok(Self {
            items,
            index,
            last: Cell::new(None),
            touched: Vec::new(),
        })
    }
}
