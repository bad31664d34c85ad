/* SPDX-License-Identifier: MIT */
/*
 * cmd_help.c: `retort help [COMMAND]`: the command's usage and options
 * (each command prints its own option table when given --help).
 */
#include <string.h>

#include "cli.h"

int cmd_help(cli *c, int argc, char **argv)
{
	const cmd_spec *cmd;
	static char help_flag[] = "--help";
	char *args[2];

	if (argc >= 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		print_command_help(stdout, find_command("help"), NULL);
		return EXIT_OK;
	}
	if (argc < 2 || !strcmp(argv[1], "help")) {
		printf("usage: retort help COMMAND\n\nCommands:");
		for (cmd = commands; cmd->name; cmd++)
			printf("%s %s", cmd == commands ? "" : ",", cmd->name);
		printf(".\n'retort --help' lists them with the global "
		       "options.\n");
		return EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		print_unknown_command(argv[1]);
		return EXIT_USAGE;
	}
	args[0] = argv[1];
	args[1] = help_flag;
	c->help = 0;
	return cmd->fn(c, 2, args);
}
