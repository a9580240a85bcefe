/*
 * hello - the plain C hello world (WAMR's product-mini hello-world): printf, malloc and
 * snprintf, three lines of output. Built two ways by ../build.sh: as a WASI command with
 * wasi-libc inside (hello.wasi.wasm) and with wasmlet's SDK, the libc imported from the
 * runtime (hello.sdk.wasm).
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    char *buf;

    (void)argc;
    (void)argv;
    printf("Hello world!\n");
    buf = malloc(1024);
    if (!buf) {
        printf("malloc buf failed\n");
        return -1;
    }
    printf("buf ptr: %p\n", buf);
    snprintf(buf, 1024, "%s", "1234\n");
    printf("buf: %s", buf);
    free(buf);
    return 0;
}
