/* ctype.h - character classes of the runtime's libc (ASCII only, imported from module "env"). */
#ifndef WASMLET_CTYPE_H
#define WASMLET_CTYPE_H

#ifdef __cplusplus
extern "C" {
#endif

int isupper(int c);
int isalpha(int c);
int isspace(int c);
int isgraph(int c);
int isprint(int c);
int isdigit(int c);
int isxdigit(int c);
int isalnum(int c);
int tolower(int c);
int toupper(int c);

#ifdef __cplusplus
}
#endif

#endif
