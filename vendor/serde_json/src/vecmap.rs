//! proxykit's change to serde_json (see `vendor/README.md`): the object map is a `Vec` of
//! entries kept sorted by key, in place of `BTreeMap`, with the part of `BTreeMap`'s API that
//! `map.rs` uses. Iteration order, `Debug`, equality and lookups are the same as before
//! (sorted, unique keys); lookups are a binary search. The B-tree's node code was ~9 KB of
//! each wasm module. An insert in the middle moves the entries after it, so building a large
//! object key by key in random order would be quadratic: `FromIterator` and `extend`
//! collect first and sort once (stable: by insertion up to 16 entries, else a merge;
//! O(n log n); of equal keys the last wins, as with repeated inserts), and the `Value`
//! deserializer collects an object's entries before building the map.
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::hash::{Hash, Hasher};

#[derive(Clone, PartialEq, Eq)]
pub struct BTreeMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for BTreeMap<K, V> {
    fn default() -> Self {
        BTreeMap(Vec::new())
    }
}

impl<K: Ord, V> BTreeMap<K, V> {
    pub fn new() -> Self {
        BTreeMap(Vec::new())
    }
    fn find<Q: ?Sized + Ord>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }
    pub fn clear(&mut self) {
        self.0.clear()
    }
    pub fn get<Q: ?Sized + Ord>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => Some(&self.0[i].1),
            Err(_) => None,
        }
    }
    pub fn contains_key<Q: ?Sized + Ord>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }
    pub fn get_mut<Q: ?Sized + Ord>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => Some(&mut self.0[i].1),
            Err(_) => None,
        }
    }
    pub fn get_key_value<Q: ?Sized + Ord>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => {
                let e = &self.0[i];
                Some((&e.0, &e.1))
            }
            Err(_) => None,
        }
    }
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => Some(core::mem::replace(&mut self.0[i].1, v)),
            Err(i) => {
                self.0.insert(i, (k, v));
                None
            }
        }
    }
    pub fn remove<Q: ?Sized + Ord>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => Some(self.0.remove(i).1),
            Err(_) => None,
        }
    }
    pub fn remove_entry<Q: ?Sized + Ord>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => Some(self.0.remove(i)),
            Err(_) => None,
        }
    }
    pub fn append(&mut self, other: &mut Self) {
        let more = core::mem::take(&mut other.0);
        self.extend(more);
    }
    pub fn entry(&mut self, key: K) -> btree_map::Entry<'_, K, V> {
        match self.find(&key) {
            Ok(i) => btree_map::Entry::Occupied(btree_map::OccupiedEntry { map: self, i }),
            Err(i) => btree_map::Entry::Vacant(btree_map::VacantEntry { map: self, i, key }),
        }
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> btree_map::Iter<'_, K, V> {
        btree_map::Iter(self.0.iter())
    }
    pub fn iter_mut(&mut self) -> btree_map::IterMut<'_, K, V> {
        btree_map::IterMut(self.0.iter_mut())
    }
    pub fn keys(&self) -> btree_map::Keys<'_, K, V> {
        btree_map::Keys(self.0.iter())
    }
    pub fn values(&self) -> btree_map::Values<'_, K, V> {
        btree_map::Values(self.0.iter())
    }
    pub fn values_mut(&mut self) -> btree_map::ValuesMut<'_, K, V> {
        btree_map::ValuesMut(self.0.iter_mut())
    }
    pub fn into_values(self) -> btree_map::IntoValues<K, V> {
        btree_map::IntoValues(self.0.into_iter())
    }
    pub fn into_iter(self) -> btree_map::IntoIter<K, V> {
        btree_map::IntoIter(self.0.into_iter())
    }
    pub fn retain<F: FnMut(&K, &mut V) -> bool>(&mut self, mut f: F) {
        self.0.retain_mut(|(k, v)| f(k, v))
    }
    pub fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let mut v = core::mem::take(&mut self.0);
        v.extend(iter);
        *self = v.into_iter().collect();
    }
    pub fn index<Q: ?Sized + Ord>(&self, key: &Q) -> &V
    where
        K: Borrow<Q>,
    {
        self.get(key).expect("no entry found for key")
    }
    pub fn clone_from(&mut self, source: &Self)
    where
        K: Clone,
        V: Clone,
    {
        self.0.clone_from(&source.0)
    }
}
impl<K: Hash, V: Hash> Hash for BTreeMap<K, V> {
    fn hash<H: Hasher>(&self, s: &mut H) {
        self.0.hash(s)
    }
}
impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for BTreeMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}
impl<K: Ord, V> FromIterator<(K, V)> for BTreeMap<K, V> {
    /// Collected, then sorted by key (stable, O(n log n)); of repeated keys the last wins.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut v = sort(iter.into_iter().collect());
        // In place: `w` entries kept; a repeated key's later entry replaces the kept one.
        let mut w = 0;
        for r in 0..v.len() {
            if w > 0 && v[w - 1].0 == v[r].0 {
                v.swap(w - 1, r);
            } else {
                v.swap(w, r);
                w += 1;
            }
        }
        v.truncate(w);
        BTreeMap(v)
    }
}

/// A stable sort by key (entries of equal keys keep their order): in place by insertion up
/// to 16 entries (a JSON object's usual size: no allocation), else a merge of two sorted
/// halves.
fn sort<K: Ord, V>(mut v: Vec<(K, V)>) -> Vec<(K, V)> {
    if v.len() <= 16 {
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && v[j - 1].0 > v[j].0 {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        return v;
    }
    let right = sort(v.split_off(v.len() / 2));
    let left = sort(v);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut l = left.into_iter().peekable();
    let mut r = right.into_iter().peekable();
    loop {
        let take_left = match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => a.0 <= b.0,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        out.extend(if take_left { l.next() } else { r.next() });
    }
    out
}

impl<'a, K, V> IntoIterator for &'a BTreeMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = btree_map::Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        btree_map::Iter(self.0.iter())
    }
}

pub mod btree_map {
    use super::BTreeMap;
    pub enum Entry<'a, K, V> {
        Vacant(VacantEntry<'a, K, V>),
        Occupied(OccupiedEntry<'a, K, V>),
    }
    pub struct VacantEntry<'a, K, V> {
        pub(super) map: &'a mut BTreeMap<K, V>,
        pub(super) i: usize,
        pub(super) key: K,
    }
    pub struct OccupiedEntry<'a, K, V> {
        pub(super) map: &'a mut BTreeMap<K, V>,
        pub(super) i: usize,
    }
    impl<'a, K, V> VacantEntry<'a, K, V> {
        pub fn key(&self) -> &K {
            &self.key
        }
        pub fn insert(self, v: V) -> &'a mut V {
            self.map.0.insert(self.i, (self.key, v));
            &mut self.map.0[self.i].1
        }
    }
    impl<'a, K, V> OccupiedEntry<'a, K, V> {
        pub fn key(&self) -> &K {
            &self.map.0[self.i].0
        }
        pub fn get(&self) -> &V {
            &self.map.0[self.i].1
        }
        pub fn get_mut(&mut self) -> &mut V {
            &mut self.map.0[self.i].1
        }
        pub fn into_mut(self) -> &'a mut V {
            &mut self.map.0[self.i].1
        }
        pub fn insert(&mut self, v: V) -> V {
            core::mem::replace(&mut self.map.0[self.i].1, v)
        }
        pub fn remove(self) -> V {
            self.map.0.remove(self.i).1
        }
        pub fn remove_entry(self) -> (K, V) {
            self.map.0.remove(self.i)
        }
    }
    macro_rules! it {
        ($name:ident, $inner:ty, $item:ty, |$e:ident| $map:expr, $($lt:lifetime)?) => {
            #[derive(Debug)] pub struct $name<$($lt,)? K, V>(pub(super) $inner);
            impl<$($lt,)? K, V> Iterator for $name<$($lt,)? K, V> {
                type Item = $item;
                fn next(&mut self) -> Option<$item> { self.0.next().map(|$e| $map) }
                fn size_hint(&self) -> (usize, Option<usize>) { self.0.size_hint() }
            }
            impl<$($lt,)? K, V> DoubleEndedIterator for $name<$($lt,)? K, V> {
                fn next_back(&mut self) -> Option<$item> { self.0.next_back().map(|$e| $map) }
            }
            impl<$($lt,)? K, V> ExactSizeIterator for $name<$($lt,)? K, V> { fn len(&self) -> usize { self.0.len() } }
            impl<$($lt,)? K, V> core::iter::FusedIterator for $name<$($lt,)? K, V> {}
        };
    }
    it!(Iter, core::slice::Iter<'a, (K, V)>, (&'a K, &'a V), |e| (&e.0, &e.1), 'a);
    it!(IterMut, core::slice::IterMut<'a, (K, V)>, (&'a K, &'a mut V), |e| (&e.0, &mut e.1), 'a);
    it!(Keys, core::slice::Iter<'a, (K, V)>, &'a K, |e| &e.0, 'a);
    it!(Values, core::slice::Iter<'a, (K, V)>, &'a V, |e| &e.1, 'a);
    it!(ValuesMut, core::slice::IterMut<'a, (K, V)>, &'a mut V, |e| &mut e.1, 'a);
    it!(IntoIter, alloc::vec::IntoIter<(K, V)>, (K, V), |e| e,);
    it!(IntoValues, alloc::vec::IntoIter<(K, V)>, V, |e| e.1,);
    impl<'a, K, V> Clone for Iter<'a, K, V> {
        fn clone(&self) -> Self {
            Iter(self.0.clone())
        }
    }
    impl<'a, K, V> Clone for Keys<'a, K, V> {
        fn clone(&self) -> Self {
            Keys(self.0.clone())
        }
    }
    impl<'a, K, V> Clone for Values<'a, K, V> {
        fn clone(&self) -> Self {
            Values(self.0.clone())
        }
    }
}
