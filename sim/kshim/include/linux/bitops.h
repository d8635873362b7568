/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/bitops.h, include/asm-generic/bitops/atomic.h
 * and non-atomic.h. The atomic forms are schedule points and use atomic
 * builtins; the __ forms are plain.
 */
#ifndef _LINUX_BITOPS_H
#define _LINUX_BITOPS_H

#include <linux/bits.h>
#include <linux/kshim.h>
#include <linux/types.h>

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	kshim_access_point(KSHIM_ACCESS_ATOMIC, "set_bit");
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	kshim_access_point(KSHIM_ACCESS_ATOMIC, "clear_bit");
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static inline void change_bit(long nr, volatile unsigned long *addr)
{
	kshim_access_point(KSHIM_ACCESS_ATOMIC, "change_bit");
	__atomic_fetch_xor(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static inline bool test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old;

	kshim_access_point(KSHIM_ACCESS_ATOMIC, "test_and_set_bit");
	old = __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST);
	return (old & BIT_MASK(nr)) != 0;
}

static inline bool test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old;

	kshim_access_point(KSHIM_ACCESS_ATOMIC, "test_and_clear_bit");
	old = __atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST);
	return (old & BIT_MASK(nr)) != 0;
}

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	kshim_access_point(KSHIM_ACCESS_READ, "test_bit");
	return ((__atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_SEQ_CST) >>
		 (nr % BITS_PER_LONG)) & 1UL) != 0;
}

static inline void __set_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline unsigned long __ffs(unsigned long word)
{
	return (unsigned long)__builtin_ctzl(word);
}

static inline int fls(unsigned int x)
{
	return x != 0 ? 32 - __builtin_clz(x) : 0;
}

static inline int fls64(u64 x)
{
	return x != 0 ? 64 - __builtin_clzll(x) : 0;
}

static inline unsigned int hweight32(unsigned int w)
{
	return (unsigned int)__builtin_popcount(w);
}

static inline unsigned long hweight64(u64 w)
{
	return (unsigned long)__builtin_popcountll(w);
}

/* Index of the first set bit below @size, or @size. */
static inline unsigned long find_first_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long i;

	for (i = 0; i < size; i += BITS_PER_LONG) {
		unsigned long word = addr[i / BITS_PER_LONG];

		if (word != 0) {
			unsigned long bit = i + __ffs(word);

			return bit < size ? bit : size;
		}
	}
	return size;
}

/* Index of the first clear bit below @size, or @size. */
static inline unsigned long find_first_zero_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long i;

	for (i = 0; i < size; i += BITS_PER_LONG) {
		unsigned long word = ~addr[i / BITS_PER_LONG];

		if (word != 0) {
			unsigned long bit = i + __ffs(word);

			return bit < size ? bit : size;
		}
	}
	return size;
}

#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

#endif /* _LINUX_BITOPS_H */
