/* SPDX-License-Identifier: MIT */
/*
 * readall.c: the baseline the graph benchmarks compare against: a plain C
 * loop that lists a folder and opens and reads every file in it once.
 * Usage: readall DIR   (prints the number of files and bytes read)
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[4096], buf[65536];
	struct dirent *de;
	long files = 0, bytes = 0;
	DIR *d;

	if (argc != 2 || !(d = opendir(argv[1]))) {
		fprintf(stderr, "usage: readall DIR\n");
		return 2;
	}
	while ((de = readdir(d)) != NULL) {
		ssize_t n;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			bytes += n;
		close(fd);
		files++;
	}
	closedir(d);
	printf("%ld files, %ld bytes\n", files, bytes);
	return 0;
}
