package io.hephaestus.core.internal;

import java.util.AbstractCollection;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Compact, immutable, insertion-ordered collections for instance state, and the copy-on-write
 * operations the engine edits them with.
 *
 * <p>An instance is copied on every transition and thousands of them may wait in memory, so its
 * collections are arrays rather than linked hash tables: a three-element set is one array, not a
 * hash table with a linked entry per element. Lookups scan the array while it is small and use a
 * lazily built hash index beyond {@value #INDEX_THRESHOLD} elements. Because the classes here are
 * recognisable, a record that receives one keeps it as it is instead of copying it again, so that
 * {@code withX} copies of an instance share their collections.
 */
public final class Frozen {

    /**
     * Up to this many elements a lookup scans the array; beyond it, a hash index is built once.
     */
    static final int INDEX_THRESHOLD = 12;

    private static final Object[] EMPTY = new Object[0];

    private static final FrozenMap<?> EMPTY_MAP = new FrozenMap<>(new String[0], EMPTY);

    private Frozen() {
    }

    /**
     * Return an immutable, insertion-ordered copy of {@code source} without duplicates, or
     * {@code source} itself if it is already frozen.
     * @param <E> the element type
     * @param source the elements
     * @param what the name of the collection for error messages
     * @return the frozen set
     * @throws NullPointerException naming {@code what} if an element is null
     */
    @SuppressWarnings("unchecked")
    public static <E> Set<E> set(Collection<? extends E> source, String what) {
        Objects.requireNonNull(source, what);
        if (source instanceof FrozenSet<?> frozen) {
            return (Set<E>) frozen;
        }
        if (source.isEmpty()) {
            return Set.of();
        }
        Object[] elements = new Object[source.size()];
        int size = 0;
        for (E element : source) {
            Objects.requireNonNull(element, what + " element");
            if (source instanceof Set<?> || indexOf(elements, size, element) < 0) {
                elements[size++] = element;
            }
        }
        return new FrozenSet<>((size == elements.length) ? elements : Arrays.copyOf(elements, size));
    }

    /**
     * Return {@code set} with {@code element} added at the end (the same set if already present).
     * @param <E> the element type
     * @param set a frozen or empty set
     * @param element the element to add
     * @return the new set
     */
    public static <E> Set<E> plus(Set<E> set, E element) {
        Objects.requireNonNull(element, "element");
        if (set.contains(element)) {
            return set;
        }
        Object[] current = elementsOf(set);
        Object[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = element;
        return new FrozenSet<>(next);
    }

    /**
     * Return {@code set} without {@code element} (the same set if absent).
     * @param <E> the element type
     * @param set a frozen or empty set
     * @param element the element to remove
     * @return the new set
     */
    public static <E> Set<E> minus(Set<E> set, Object element) {
        Object[] current = elementsOf(set);
        int index = indexOf(current, current.length, element);
        if (index < 0) {
            return set;
        }
        if (current.length == 1) {
            return Set.of();
        }
        return new FrozenSet<>(without(current, index));
    }

    /**
     * Return an immutable, insertion-ordered copy of {@code source}, or {@code source} itself if
     * it is already frozen. Keys and values must not be null.
     * @param <V> the value type
     * @param source the entries
     * @param what the name of the map for error messages
     * @return the frozen map
     * @throws NullPointerException naming {@code what} if a key or value is null
     */
    @SuppressWarnings("unchecked")
    public static <V> Map<String, V> map(Map<String, ? extends V> source, String what) {
        Objects.requireNonNull(source, what);
        if (source instanceof FrozenMap<?> frozen) {
            return (Map<String, V>) frozen;
        }
        if (source.isEmpty()) {
            return Map.of();
        }
        String[] keys = new String[source.size()];
        Object[] values = new Object[keys.length];
        int[] size = { 0 };
        source.forEach((key, value) -> {
            keys[size[0]] = Objects.requireNonNull(key, what + " key");
            values[size[0]++] = Objects.requireNonNull(value, what + " value");
        });
        return new FrozenMap<>(keys, values);
    }

    /**
     * Like {@link #map}, then apply {@code freezeValue} to every value: the frozen map is returned
     * as it is when every value comes back identical, so that a map of already frozen values is
     * never copied.
     * @param <V> the value type
     * @param source the entries
     * @param what the name of the map for error messages
     * @param freezeValue freezes one value given its key; returns its argument if already frozen
     * @return the frozen map
     */
    @SuppressWarnings("unchecked")
    public static <V> Map<String, V> map(Map<String, ? extends V> source, String what,
            BiFunction<String, V, V> freezeValue) {
        Map<String, V> map = map(source, what);
        if (map.isEmpty()) {
            return map;
        }
        FrozenMap<V> frozen = (FrozenMap<V>) map;
        Object[] values = frozen.values;
        for (int i = 0; i < values.length; i++) {
            V value = (V) values[i];
            V next = Objects.requireNonNull(freezeValue.apply(frozen.keys[i], value), what + " value");
            if (next != value) {
                if (values == frozen.values) {
                    values = values.clone();
                }
                values[i] = next;
            }
        }
        return (values == frozen.values) ? frozen : new FrozenMap<>(frozen.keys, values);
    }

    /**
     * Return {@code map} with {@code key} mapped to {@code value}: replaced in place if present,
     * else added at the end.
     * @param <V> the value type
     * @param map a frozen or empty map
     * @param key the key
     * @param value the value, not null
     * @return the new map
     */
    public static <V> Map<String, V> put(Map<String, V> map, String key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        FrozenMap<V> frozen = frozenMap(map);
        String[] keys = frozen.keys;
        int index = frozen.indexOf(key);
        if (index >= 0) {
            if (frozen.values[index] == value) {
                return frozen;
            }
            Object[] values = frozen.values.clone();
            values[index] = value;
            return new FrozenMap<>(keys, values);
        }
        String[] nextKeys = Arrays.copyOf(keys, keys.length + 1);
        Object[] nextValues = Arrays.copyOf(frozen.values, keys.length + 1);
        nextKeys[keys.length] = key;
        nextValues[keys.length] = value;
        return new FrozenMap<>(nextKeys, nextValues);
    }

    /**
     * Return {@code map} without {@code key} (the same map if absent).
     * @param <V> the value type
     * @param map a frozen or empty map
     * @param key the key to remove
     * @return the new map
     */
    public static <V> Map<String, V> remove(Map<String, V> map, Object key) {
        if (map.isEmpty()) {
            return map;
        }
        FrozenMap<V> frozen = frozenMap(map);
        int index = frozen.indexOf(key);
        if (index < 0) {
            return map;
        }
        if (frozen.keys.length == 1) {
            return Map.of();
        }
        return new FrozenMap<>(without(frozen.keys, index), without(frozen.values, index));
    }

    /**
     * Return an immutable copy of {@code source}, or {@code source} itself if it is already frozen
     * or unmodifiable in the JDK's sense ({@link List#copyOf}).
     * @param <E> the element type
     * @param source the elements, not null
     * @return the frozen list
     */
    @SuppressWarnings("unchecked")
    public static <E> List<E> list(List<? extends E> source) {
        if (source instanceof FrozenList<?> frozen) {
            return (List<E>) frozen;
        }
        return List.copyOf(source);
    }

    /**
     * Return {@code list} with {@code element} appended.
     * @param <E> the element type
     * @param list the list
     * @param element the element, not null
     * @return the new list
     */
    public static <E> List<E> append(List<E> list, E element) {
        Objects.requireNonNull(element, "element");
        Object[] next = list.toArray(new Object[list.size() + 1]);
        next[list.size()] = element;
        return new FrozenList<>(next);
    }

    /**
     * Return {@code list} without the first occurrence of {@code element}, or {@code list} itself if
     * it does not hold it.
     * @param <E> the element type
     * @param list the list
     * @param element the element to remove
     * @return the new list
     */
    public static <E> List<E> minus(List<E> list, Object element) {
        int index = list.indexOf(element);
        if (index < 0) {
            return list;
        }
        if (list.size() == 1) {
            return List.of();
        }
        return new FrozenList<>(without(list.toArray(), index));
    }

    /**
     * Return an immutable list view of the keys of a map, without copying them when the map is
     * frozen.
     * @param map the map
     * @return its keys, in iteration order
     */
    public static List<String> keys(Map<String, ?> map) {
        if (map instanceof FrozenMap<?> frozen) {
            return new FrozenList<>(frozen.keys);
        }
        return List.copyOf(map.keySet());
    }

    /**
     * Return an immutable list of the elements of a set, without copying them when the set is
     * frozen.
     * @param <E> the element type
     * @param set the set
     * @return its elements, in iteration order
     */
    public static <E> List<E> elements(Set<E> set) {
        if (set instanceof FrozenSet<?> frozen) {
            return new FrozenList<>(frozen.elements);
        }
        return List.copyOf(set);
    }

    private static Object[] elementsOf(Set<?> set) {
        if (set instanceof FrozenSet<?> frozen) {
            return frozen.elements;
        }
        return set.isEmpty() ? EMPTY : set.toArray();
    }

    @SuppressWarnings("unchecked")
    private static <V> FrozenMap<V> frozenMap(Map<String, V> map) {
        if (map instanceof FrozenMap<?> frozen) {
            return (FrozenMap<V>) frozen;
        }
        if (map.isEmpty()) {
            return (FrozenMap<V>) EMPTY_MAP;
        }
        return (FrozenMap<V>) map(map, "map");
    }

    static int indexOf(Object[] elements, int size, @Nullable Object element) {
        for (int i = 0; i < size; i++) {
            if (elements[i].equals(element)) {
                return i;
            }
        }
        return -1;
    }

    private static <T> T[] without(T[] array, int index) {
        T[] next = Arrays.copyOf(array, array.length - 1);
        System.arraycopy(array, index + 1, next, index, array.length - index - 1);
        return next;
    }

    private static HashMap<Object, Integer> index(Object[] elements) {
        HashMap<Object, Integer> index = new HashMap<>((int) (elements.length / 0.75f) + 1);
        for (int i = 0; i < elements.length; i++) {
            index.put(elements[i], i);
        }
        return index;
    }

    /**
     * An immutable set over an array of distinct, non-null elements, in insertion order.
     */
    static final class FrozenSet<E> extends AbstractSet<E> {

        final Object[] elements;

        private @Nullable HashMap<Object, Integer> index;

        FrozenSet(Object[] elements) {
            this.elements = elements;
        }

        @Override
        public int size() {
            return this.elements.length;
        }

        @Override
        public boolean contains(@Nullable Object element) {
            if (this.elements.length <= INDEX_THRESHOLD) {
                return element != null && indexOf(this.elements, this.elements.length, element) >= 0;
            }
            HashMap<Object, Integer> lookup = this.index;
            if (lookup == null) {
                lookup = index(this.elements);
                this.index = lookup;
            }
            return lookup.containsKey(element);
        }

        @Override
        public Iterator<E> iterator() {
            return new ArrayIterator<>(this.elements);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void forEach(Consumer<? super E> action) {
            for (Object element : this.elements) {
                action.accept((E) element);
            }
        }

        @Override
        public Object[] toArray() {
            return this.elements.clone();
        }
    }

    /**
     * An immutable map over parallel arrays of distinct non-null keys and their values, in
     * insertion order. Values may be null only when a subclass allows it (JSON values).
     */
    static class FrozenMap<V> extends AbstractMap<String, V> {

        final String[] keys;

        final Object[] values;

        private @Nullable HashMap<Object, Integer> index;

        FrozenMap(String[] keys, Object[] values) {
            this.keys = keys;
            this.values = values;
        }

        final int indexOf(@Nullable Object key) {
            if (key == null) {
                return -1;
            }
            if (this.keys.length <= INDEX_THRESHOLD) {
                return Frozen.indexOf(this.keys, this.keys.length, key);
            }
            HashMap<Object, Integer> lookup = this.index;
            if (lookup == null) {
                lookup = index(this.keys);
                this.index = lookup;
            }
            Integer found = lookup.get(key);
            return (found != null) ? found : -1;
        }

        @Override
        public final int size() {
            return this.keys.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public final @Nullable V get(@Nullable Object key) {
            int i = indexOf(key);
            return (i >= 0) ? (V) this.values[i] : null;
        }

        @Override
        public final boolean containsKey(@Nullable Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public final void forEach(BiConsumer<? super String, ? super V> action) {
            for (int i = 0; i < this.keys.length; i++) {
                action.accept(this.keys[i], (V) this.values[i]);
            }
        }

        @Override
        public final Set<String> keySet() {
            return new FrozenSet<>(this.keys);
        }

        @Override
        public final Collection<V> values() {
            return new AbstractCollection<>() {
                @Override
                public Iterator<V> iterator() {
                    return new ArrayIterator<>(FrozenMap.this.values);
                }

                @Override
                public int size() {
                    return FrozenMap.this.values.length;
                }
            };
        }

        @Override
        public final Set<Entry<String, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, V>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return this.next < FrozenMap.this.keys.length;
                        }

                        @Override
                        @SuppressWarnings("unchecked")
                        public Entry<String, V> next() {
                            if (!hasNext()) {
                                throw new NoSuchElementException();
                            }
                            int i = this.next++;
                            return new SimpleImmutableEntry<>(FrozenMap.this.keys[i], (V) FrozenMap.this.values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return FrozenMap.this.keys.length;
                }
            };
        }
    }

    /**
     * An immutable list over an array.
     */
    static final class FrozenList<E> extends AbstractList<E> implements RandomAccess {

        private final Object[] elements;

        FrozenList(Object[] elements) {
            this.elements = elements;
        }

        @Override
        @SuppressWarnings("unchecked")
        public E get(int index) {
            return (E) this.elements[index];
        }

        @Override
        public int size() {
            return this.elements.length;
        }
    }

    /**
     * A read-only iterator over an array.
     */
    private static final class ArrayIterator<E> implements Iterator<E> {

        private final Object[] elements;

        private int next;

        ArrayIterator(Object[] elements) {
            this.elements = elements;
        }

        @Override
        public boolean hasNext() {
            return this.next < this.elements.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public E next() {
            if (this.next >= this.elements.length) {
                throw new NoSuchElementException();
            }
            return (E) this.elements[this.next++];
        }
    }
}
