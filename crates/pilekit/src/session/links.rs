//! The station's links: slots in a vector (reused after a disconnect), an ordered index by id,
//! and the last lookup remembered — the frames of one read, and their answers, are one link's.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::cell::Cell;

use super::notify::LinkId;

/// Links by id.
#[derive(Debug, Clone)]
pub(crate) struct Links<T> {
    slots: Vec<Option<(LinkId, T)>>,
    /// Slots emptied by a removal, to fill first.
    free: Vec<u32>,
    index: BTreeMap<LinkId, u32>,
    last: Cell<Option<(LinkId, u32)>>,
}

impl<T> Default for Links<T> {
    fn default() -> Self {
        Self {
            slots: Vec::new(),
            free: Vec::new(),
            index: BTreeMap::new(),
            last: Cell::new(None),
        }
    }
}

impl<T> Links<T> {
    fn slot(&self, id: LinkId) -> Option<usize> {
        if let Some((last, at)) = self.last.get()
            && last == id
        {
            return Some(at as usize);
        }
        let at = *self.index.get(&id)?;
        self.last.set(Some((id, at)));
        Some(at as usize)
    }

    /// Whether the link is open.
    pub(crate) fn contains_key(&self, id: &LinkId) -> bool {
        self.slot(*id).is_some()
    }

    /// The link `id`.
    pub(crate) fn get(&self, id: &LinkId) -> Option<&T> {
        let at = self.slot(*id)?;
        self.slots[at].as_ref().map(|(_, t)| t)
    }

    /// The link `id`, to change.
    pub(crate) fn get_mut(&mut self, id: &LinkId) -> Option<&mut T> {
        let at = self.slot(*id)?;
        self.slots[at].as_mut().map(|(_, t)| t)
    }

    /// Adds (or replaces) the link `id`.
    pub(crate) fn insert(&mut self, id: LinkId, link: T) {
        if let Some(at) = self.slot(id) {
            self.slots[at] = Some((id, link));
            return;
        }
        let at = match self.free.pop() {
            Some(at) => {
                self.slots[at as usize] = Some((id, link));
                at
            }
            None => {
                self.slots.push(Some((id, link)));
                (self.slots.len() - 1) as u32
            }
        };
        self.index.insert(id, at);
        self.last.set(Some((id, at)));
    }

    /// Removes the link `id`, returning it.
    pub(crate) fn remove(&mut self, id: &LinkId) -> Option<T> {
        let at = self.index.remove(id)?;
        if self.last.get().is_some_and(|(last, _)| last == *id) {
            self.last.set(None);
        }
        let (_, link) = self.slots[at as usize].take()?;
        if at as usize + 1 == self.slots.len() {
            self.slots.pop();
            while let Some(None) = self.slots.last() {
                self.slots.pop();
            }
            let len = self.slots.len() as u32;
            self.free.retain(|&f| f < len);
        } else {
            self.free.push(at);
        }
        Some(link)
    }

    /// Every id, in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &LinkId> {
        self.index.keys()
    }

    /// Every link with its id, in the order of the ids.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&LinkId, &T)> {
        self.index
            .iter()
            .filter_map(|(id, &at)| self.slots[at as usize].as_ref().map(|(_, t)| (id, t)))
    }
}

#[cfg(feature = "serde")]
impl<T: serde::Serialize> serde::Serialize for Links<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

#[cfg(feature = "serde")]
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Links<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map: BTreeMap<LinkId, T> = serde::Deserialize::deserialize(d)?;
        let mut links = Links::default();
        for (id, t) in map {
            links.insert(id, t);
        }
        links.last.set(None);
        Ok(links)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_lookups_and_removals_agree_with_a_map() {
        let mut links = Links::default();
        let mut model = BTreeMap::new();
        // a deterministic mix of connects and disconnects
        let mut next = 1u64;
        let mut x = 0x2545_f491_u64;
        for _ in 0..2_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if !x.is_multiple_of(3) || model.is_empty() {
                links.insert(LinkId(next), next * 10);
                model.insert(LinkId(next), next * 10);
                next += 1;
            } else {
                let keys: Vec<LinkId> = model.keys().copied().collect();
                let id = keys[(x >> 8) as usize % keys.len()];
                assert_eq!(links.remove(&id), model.remove(&id));
                assert_eq!(links.remove(&id), None);
            }
            let probe = LinkId((x >> 20) % (next + 1));
            assert_eq!(links.get(&probe), model.get(&probe));
            assert_eq!(links.contains_key(&probe), model.contains_key(&probe));
            if let Some(v) = links.get_mut(&probe) {
                *v += 1;
                *model.get_mut(&probe).unwrap() += 1;
            }
        }
        assert!(links.iter().eq(model.iter()));
        assert!(links.keys().eq(model.keys()));
        assert!(links.slots.iter().filter(|s| s.is_some()).count() == model.len());
        // emptied slots are reused
        assert!(links.slots.len() < next as usize);
        links.insert(LinkId(3), 33);
        model.insert(LinkId(3), 33);
        assert!(links.iter().eq(model.iter()));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn the_serde_form_is_that_of_a_map() {
        let mut links = Links::default();
        let mut model = BTreeMap::new();
        for i in [5u64, 1, 9, 3] {
            links.insert(LinkId(i), i as u32);
            model.insert(LinkId(i), i as u32);
        }
        links.remove(&LinkId(9));
        model.remove(&LinkId(9));
        let json = serde_json::to_string(&links).unwrap();
        assert_eq!(json, serde_json::to_string(&model).unwrap());
        let back: Links<u32> = serde_json::from_str(&json).unwrap();
        assert!(back.iter().eq(model.iter()));
        assert_eq!(back.get(&LinkId(3)), Some(&3));
        assert_eq!(back.get(&LinkId(9)), None);
    }
}
