/* SPDX-License-Identifier: MIT */
/*
 * file.c: opening regular files only (file.h). The open itself never
 * blocks (O_NONBLOCK); the check comes before the first read.
 */
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *rt_file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a named pipe";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "an unknown kind of file";
}

int rt_open_regular(const char *path, int regular, char *why, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	int e;

	if (fd < 0) {
		snprintf(why, size, "%s", strerror(errno));
		return -1;
	}
	if (regular)
		return fd;
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		snprintf(why, size, "%s", strerror(e));
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return fd;
	close(fd);
	if (S_ISDIR(st.st_mode))
		snprintf(why, size, "%s", strerror(EISDIR));
	else
		snprintf(why, size, "not a regular file (%s)",
			 rt_file_kind(st.st_mode));
	return -1;
}

int rt_read_regular(const char *path, int regular, rt_str *out, char *why,
		    size_t size)
{
	int fd = rt_open_regular(path, regular, why, size);
	ssize_t got = 0;
	int e = 0;

	rt_str_clear(out);
	if (fd < 0)
		return -1;
	for (;;) {
		if (out->cap - out->len < 4096 + 1 &&
		    rt_str_grow(out, out->cap ? out->cap : 65536) < 0) {
			close(fd);
			return -2;
		}
		got = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (got < 0 && (e = errno) == EINTR)
			continue;
		if (got <= 0)
			break;
		out->len += (size_t)got;
		out->ptr[out->len] = '\0';
	}
	close(fd);
	if (got < 0) {
		snprintf(why, size, "%s", strerror(e));
		return -1;
	}
	return 0;
}
