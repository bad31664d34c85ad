/* SPDX-License-Identifier: MIT */
/*
 * pyformat.c: Python's "%(name)s" % mapping, for file_template (see
 * pyformat.h): flags, width, precision and the conversions Python has,
 * with Python's error for every format Python refuses.
 *
 * Invariants: the output is appended to `out` and, on failure, `out` is
 * truncated back to the length it had on entry, so a caller never sees
 * half a result. Text is UTF-8; widths and precisions count code points as
 * Python does, and %r escapes what Python's repr() escapes (util/unicode.h).
 */
#include "script/pyformat.h"

#include <stdio.h>
#include <string.h>

#include "retort.h"
#include "util/unicode.h"
#include "util/utf8.h"

/* Widths and precisions above this are refused rather than allocated. */
#define MAX_WIDTH 1000000L

struct spec {
	const char *text; /* "%(name)...c", for messages */
	size_t len;
	int left, plus, space, alt, zero;
	long width, prec; /* -1 when absent */
	char conv;	  /* first byte of the conversion; 0: cut short */
	size_t conv_at;	  /* offset of the conversion character in fmt */
};

/* Python's repr() of a str. */
static void py_repr(rt_str *out, const char *s)
{
	size_t n = strlen(s), i = 0, k;
	char quote = '\'';
	long cp;

	if (strchr(s, '\'') && !strchr(s, '"'))
		quote = '"';
	rt_str_putc(out, quote);
	while (i < n) {
		k = rt_utf8_decode(s + i, n - i, &cp);
		if (cp == quote || cp == '\\') {
			rt_str_putc(out, '\\');
			rt_str_putc(out, (char)cp);
		} else if (cp == '\t') {
			rt_str_puts(out, "\\t");
		} else if (cp == '\n') {
			rt_str_puts(out, "\\n");
		} else if (cp == '\r') {
			rt_str_puts(out, "\\r");
		} else if (cp < 0) {
			rt_str_printf(out, "\\x%02x", (unsigned char)s[i]);
		} else if (cp < 0x20 || cp == 0x7f) {
			rt_str_printf(out, "\\x%02lx", cp);
		} else if (rt_unicode_repr_escapes(cp)) {
			if (cp < 0x100)
				rt_str_printf(out, "\\x%02lx", cp);
			else if (cp < 0x10000)
				rt_str_printf(out, "\\u%04lx", cp);
			else
				rt_str_printf(out, "\\U%08lx", cp);
		} else {
			rt_str_append(out, s + i, k);
		}
		i += k;
	}
	rt_str_putc(out, quote);
}

/*
 * Emit a number as Python lays it out: `head` (sign and 0x/0o prefix), then
 * `zeros` zeros from the precision, then the digits, padded to the width
 * with spaces (left or right) or, with the 0 flag, zeros after the head.
 */
static void put_number(rt_str *out, const struct spec *sp, const char *head,
		       size_t zeros, const char *digits, size_t ndigits)
{
	size_t total = strlen(head) + zeros + ndigits, fill = 0;

	if (sp->width > 0 && (size_t)sp->width > total)
		fill = (size_t)sp->width - total;
	if (sp->left) {
		rt_str_puts(out, head);
		rt_str_pad(out, '0', zeros);
		rt_str_append(out, digits, ndigits);
		rt_str_pad(out, ' ', fill);
	} else if (sp->zero) {
		rt_str_puts(out, head);
		rt_str_pad(out, '0', zeros + fill);
		rt_str_append(out, digits, ndigits);
	} else {
		rt_str_pad(out, ' ', fill);
		rt_str_puts(out, head);
		rt_str_pad(out, '0', zeros);
		rt_str_append(out, digits, ndigits);
	}
}

static void sign_head(char *head, const struct spec *sp, int negative)
{
	size_t n = 0;

	if (negative)
		head[n++] = '-';
	else if (sp->plus)
		head[n++] = '+';
	else if (sp->space)
		head[n++] = ' ';
	head[n] = '\0';
}

/* %d %i %u %o %x %X */
static void format_int(rt_str *out, const struct spec *sp, long long num)
{
	const char *digitset =
	    sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned base = 10;
	unsigned long long u;
	char buf[32], head[4];
	size_t n = sizeof(buf), zeros = 0, h;

	if (sp->conv == 'o')
		base = 8;
	else if (sp->conv == 'x' || sp->conv == 'X')
		base = 16;
	u = num < 0 ? 0ULL - (unsigned long long)num : (unsigned long long)num;
	do {
		buf[--n] = digitset[u % base];
		u /= base;
	} while (u);
	if (sp->prec > 0 && (size_t)sp->prec > sizeof(buf) - n)
		zeros = (size_t)sp->prec - (sizeof(buf) - n);
	sign_head(head, sp, num < 0);
	if (sp->alt && base != 10) {
		h = strlen(head);
		head[h++] = '0';
		head[h++] = base == 8 ? 'o' : sp->conv;
		head[h] = '\0';
	}
	put_number(out, sp, head, zeros, buf + n, sizeof(buf) - n);
}

/* %e %E %f %F %g %G: Python formats the int as a float. */
static void format_float(rt_str *out, const struct spec *sp, long long num)
{
	rt_str body = RT_STR_INIT;
	double x = (double)num;
	int prec = sp->prec < 0 ? 6 : (int)sp->prec;
	char head[4];

	sign_head(head, sp, x < 0);
	if (x < 0)
		x = -x;
	switch (sp->conv) {
	case 'e':
		if (sp->alt)
			rt_str_printf(&body, "%#.*e", prec, x);
		else
			rt_str_printf(&body, "%.*e", prec, x);
		break;
	case 'E':
		if (sp->alt)
			rt_str_printf(&body, "%#.*E", prec, x);
		else
			rt_str_printf(&body, "%.*E", prec, x);
		break;
	case 'g':
		if (sp->alt)
			rt_str_printf(&body, "%#.*g", prec, x);
		else
			rt_str_printf(&body, "%.*g", prec, x);
		break;
	case 'G':
		if (sp->alt)
			rt_str_printf(&body, "%#.*G", prec, x);
		else
			rt_str_printf(&body, "%.*G", prec, x);
		break;
	case 'F':
		if (sp->alt)
			rt_str_printf(&body, "%#.*F", prec, x);
		else
			rt_str_printf(&body, "%.*F", prec, x);
		break;
	default:
		if (sp->alt)
			rt_str_printf(&body, "%#.*f", prec, x);
		else
			rt_str_printf(&body, "%.*f", prec, x);
		break;
	}
	if (body.oom)
		out->oom = 1;
	else
		put_number(out, sp, head, 0, rt_str_cstr(&body), body.len);
	rt_str_dispose(&body);
}

/* %s %r: precision cuts, width pads with spaces (the 0 flag is ignored). */
static void format_str(rt_str *out, const struct spec *sp, const rt_fmt_arg *a)
{
	rt_str tmp = RT_STR_INIT;
	size_t n, cps, fill = 0;

	if (!a->str)
		rt_str_printf(&tmp, "%lld", a->num);
	else if (sp->conv == 'r')
		py_repr(&tmp, a->str);
	else
		rt_str_puts(&tmp, a->str);
	if (tmp.oom) {
		out->oom = 1;
		goto done;
	}
	n = tmp.len;
	if (sp->prec >= 0)
		n = rt_utf8_prefix(rt_str_cstr(&tmp), n, (size_t)sp->prec);
	cps = rt_utf8_count(rt_str_cstr(&tmp), n);
	if (sp->width > 0 && (size_t)sp->width > cps)
		fill = (size_t)sp->width - cps;
	if (!sp->left)
		rt_str_pad(out, ' ', fill);
	rt_str_append(out, rt_str_cstr(&tmp), n);
	if (sp->left)
		rt_str_pad(out, ' ', fill);
done:
	rt_str_dispose(&tmp);
}

/* A decimal field of the spec; -2 when it is too big. */
static long parse_count(const char *fmt, size_t *i)
{
	long v = 0;

	while (fmt[*i] >= '0' && fmt[*i] <= '9') {
		if (v <= MAX_WIDTH)
			v = v * 10 + (fmt[*i] - '0');
		(*i)++;
	}
	return v > MAX_WIDTH ? -2 : v;
}

/*
 * Parse what follows the key at fmt[*i]: flags, width, precision, length
 * modifiers (accepted and ignored, as Python does) and the conversion
 * character, which may be a whole UTF-8 sequence. *i ends past it, or at
 * the NUL when the spec is cut short (then conv is 0).
 */
static void parse_spec(const char *fmt, size_t *i, struct spec *sp)
{
	long cp;

	for (; fmt[*i] && strchr("-+ #0", fmt[*i]); (*i)++) {
		switch (fmt[*i]) {
		case '-':
			sp->left = 1;
			break;
		case '+':
			sp->plus = 1;
			break;
		case ' ':
			sp->space = 1;
			break;
		case '#':
			sp->alt = 1;
			break;
		default:
			sp->zero = 1;
			break;
		}
	}
	sp->width = parse_count(fmt, i);
	sp->prec = -1;
	if (fmt[*i] == '.') {
		(*i)++;
		sp->prec = parse_count(fmt, i);
	}
	while (fmt[*i] && strchr("hlL", fmt[*i]))
		(*i)++;
	sp->conv = fmt[*i];
	sp->conv_at = *i;
	if (fmt[*i])
		*i += rt_utf8_decode(fmt + *i, strlen(fmt + *i), &cp);
}

static const rt_fmt_arg *find_arg(const rt_fmt_arg *args, size_t nargs,
				  const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < nargs; i++) {
		if (strlen(args[i].name) == len &&
		    !memcmp(args[i].name, key, len))
			return &args[i];
	}
	return NULL;
}

/*
 * One conversion: fmt[*pos] is a '%' that does not start "%%". The checks
 * come in Python's order, so that a format Python refuses fails with the
 * message for Python's first complaint: the key's syntax, the key (looked
 * up before the rest is read), the conversion, the sizes, the value's type.
 * *pos ends past the spec.
 */
static int format_one(rt_str *out, const char *fmt, size_t *pos,
		      const rt_fmt_arg *args, size_t nargs, const char *what,
		      rt_err *err)
{
	size_t i = *pos, start = i, key, keylen;
	const rt_fmt_arg *arg;
	struct spec sp;
	int depth;

	memset(&sp, 0, sizeof(sp));
	sp.text = fmt + i;
	i++;
	if (!fmt[i])
		return rt_err_set(err, RETORT_ECONFIG,
				  "%s: incomplete format '%s'", what, sp.text);
	if (fmt[i] != '(')
		return rt_err_set(
		    err, RETORT_ECONFIG,
		    "%s: format requires a mapping (use %%(name)s)", what);
	/* the key runs to the matching ')', as in Python */
	key = ++i;
	for (depth = 1; fmt[i] && depth; i++) {
		if (fmt[i] == '(')
			depth++;
		else if (fmt[i] == ')')
			depth--;
	}
	if (depth)
		return rt_err_set(err, RETORT_ECONFIG,
				  "%s: incomplete format key '%s'", what,
				  sp.text);
	keylen = i - 1 - key;
	arg = find_arg(args, nargs, fmt + key, keylen);
	parse_spec(fmt, &i, &sp);
	sp.len = i - start;
	*pos = i;
	if (!arg)
		return rt_err_set(err, RETORT_ECONFIG,
				  "%s: unknown token '%.*s' in '%.*s'", what,
				  (int)keylen, fmt + key, (int)sp.len, sp.text);
	if (!sp.conv)
		return rt_err_set(err, RETORT_ECONFIG,
				  "%s: incomplete format '%s'", what, sp.text);
	if (!strchr("srdiuoxXeEfFgG", sp.conv))
		return rt_err_set(
		    err, RETORT_ECONFIG,
		    "%s: unsupported format character '%.*s' in '%.*s'", what,
		    (int)(i - sp.conv_at), fmt + sp.conv_at, (int)sp.len,
		    sp.text);
	if (sp.width == -2 || sp.prec == -2)
		return rt_err_set(err, RETORT_ECONFIG,
				  "%s: %s too big in '%.*s'", what,
				  sp.width == -2 ? "width" : "precision",
				  (int)sp.len, sp.text);
	if (sp.conv == 's' || sp.conv == 'r')
		format_str(out, &sp, arg);
	else if (arg->str)
		return rt_err_set(err, RETORT_ECONFIG,
				  "%s: %.*s needs a number", what, (int)sp.len,
				  sp.text);
	else if (strchr("eEfFgG", sp.conv))
		format_float(out, &sp, arg->num);
	else
		format_int(out, &sp, arg->num);
	return 0;
}

int rt_pyformat(rt_str *out, const char *fmt, const rt_fmt_arg *args,
		size_t nargs, const char *what, rt_err *err)
{
	size_t mark = out->len, i = 0, start;
	int error = 0;

	if (!what)
		what = "format";
	while (fmt[i] && !error) {
		if (fmt[i] != '%') {
			start = i;
			while (fmt[i] && fmt[i] != '%')
				i++;
			rt_str_append(out, fmt + start, i - start);
		} else if (fmt[i + 1] == '%') {
			rt_str_putc(out, '%');
			i += 2;
		} else {
			error =
			    format_one(out, fmt, &i, args, nargs, what, err);
		}
	}
	if (!error && out->oom)
		error = rt_err_oom(err);
	if (error)
		rt_str_truncate(out, mark);
	return error;
}
