"""Numbers written in English words, and their digits: the data of 10_seq2seq, generated here.

Two tasks for an encoder–decoder, both made by this module's own code (no file, nothing
downloaded; MIT like the rest of the package):

- a number in words to its digits, 0 to 999 999, in British English (with "and"):
  ``number_to_words(2007)`` is ``["two", "thousand", "and", "seven"]`` and the target is "2007".
  Input and output lengths differ both ways: "seventy" is 1 word for 2 digits, "three hundred
  and forty two" 5 words for 3 digits; zeros are never spoken, so the decoder must write them.
- a digit string read aloud digit by digit, as a phone number is: "four zero seven" to "407"
  (``digits_to_words``), where the amount to remember grows with the length.

Randomness comes only from the ``seed`` (a numpy Generator is made from it), so every call with
the same arguments gives the same data.
"""

import numbers

from ._checks import as_generator

ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
WORDS = ONES + TENS[2:] + ("hundred", "thousand", "and")  # every word either task uses (31)
DIGITS = tuple("0123456789")
MAX_NUMBER = 999_999


def _count(name, value, low=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def _below_100(n):
    return [ONES[n]] if n < 20 else [TENS[n // 10]] + ([ONES[n % 10]] if n % 10 else [])


def _below_1000(n):
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _below_100(rest)
    return [ONES[hundreds], "hundred"] + (["and", *_below_100(rest)] if rest else [])


def number_to_words(n):
    """The words of ``n`` (0 <= n <= 999 999), British style: 342607 is "three hundred and forty two
    thousand six hundred and seven" (a list of 10 words)."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"n must be an integer from 0 to {MAX_NUMBER}, got {n!r}")
    thousands, rest = divmod(int(n), 1000)
    if not thousands:
        return _below_1000(rest)
    words = _below_1000(thousands) + ["thousand"]
    if rest:
        words += (["and"] if rest < 100 else []) + _below_1000(rest)  # "two thousand and seven"
    return words


def digits_to_words(digits):
    """A digit string read aloud digit by digit: "407" -> ["four", "zero", "seven"]."""
    if not isinstance(digits, str) or not digits or not digits.isdigit() or not digits.isascii():
        raise ValueError(f"digits must be a non-empty str of the digits 0-9, got {digits!r}")
    return [ONES[int(d)] for d in digits]


def make_numbers(n, seed, max_digits=6):
    """``n`` numbers whose number of digits is uniform in 1..max_digits, then uniform among those numbers.

    (Uniform over 0..999 999 would give 90 % six-digit numbers; this way short and long ones are
    equally common.) Returns a list of ints.
    """
    n, max_digits = _count("n", n, 0), _count("max_digits", max_digits)
    if max_digits > 6:
        raise ValueError(f"max_digits must be at most 6 (numbers up to {MAX_NUMBER}), got {max_digits}")
    rng = as_generator(seed)
    sizes = rng.integers(1, max_digits + 1, size=n)
    return [int(rng.integers(0 if d == 1 else 10 ** (d - 1), 10**d)) for d in sizes]


def make_digit_strings(n, seed, max_length):
    """``n`` strings of random digits whose length is uniform in 1..max_length (a list of str)."""
    n, max_length = _count("n", n, 0), _count("max_length", max_length)
    rng = as_generator(seed)
    lengths = rng.integers(1, max_length + 1, size=n)
    return ["".join(DIGITS[d] for d in rng.integers(0, 10, size=k)) for k in lengths]
