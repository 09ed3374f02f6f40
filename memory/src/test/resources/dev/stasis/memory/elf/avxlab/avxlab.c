/*
 * Lab program for stasis's core-file tests: the main thread loads known values
 * into ymm0..ymm15 (lane k of ymmI = 0xa0000000 | I << 8 | k, so the upper halves
 * are distinct) and a second thread loads 0xb0000000 | I << 8 | k; both then
 * block in pause(2) forever without touching a vector register again. A
 * checkpoint of it holds each thread's AVX state in its core image.
 *
 * It also maps two files on tmpfs mounts and never touches them, so CRIU dumps
 * none of their pages: /dev/shm/stasis-lab (MAP_SHARED; Podman saves /dev/shm in
 * devshm-checkpoint.tar) and /dev/stasis-lab (MAP_PRIVATE; CRIU saves the /dev
 * tmpfs in tmpfs-dev-N.tar.gz.img). Each is 3 pages + 100 bytes; every 16-byte
 * line L of page P of a file reads "SHM pP lLLL-----" / "DEV pP lLLL-----".
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint32_t lanes[2][16][8] __attribute__((aligned(32)));
const char marker[] = "AVXLAB-MARKER: ymm lanes are 0xa0000000|reg<<8|lane (main), 0xb0000000|reg<<8|lane (thread)";

static void load_and_pause(uint32_t (*v)[8]) {
    __asm__ volatile(
        "vmovdqa   0(%0), %%ymm0\n\t"  "vmovdqa  32(%0), %%ymm1\n\t"  "vmovdqa  64(%0), %%ymm2\n\t"  "vmovdqa  96(%0), %%ymm3\n\t"
        "vmovdqa 128(%0), %%ymm4\n\t"  "vmovdqa 160(%0), %%ymm5\n\t"  "vmovdqa 192(%0), %%ymm6\n\t"  "vmovdqa 224(%0), %%ymm7\n\t"
        "vmovdqa 256(%0), %%ymm8\n\t"  "vmovdqa 288(%0), %%ymm9\n\t"  "vmovdqa 320(%0), %%ymm10\n\t" "vmovdqa 352(%0), %%ymm11\n\t"
        "vmovdqa 384(%0), %%ymm12\n\t" "vmovdqa 416(%0), %%ymm13\n\t" "vmovdqa 448(%0), %%ymm14\n\t" "vmovdqa 480(%0), %%ymm15\n\t"
        "1: mov $34, %%eax\n\t"        /* pause */
        "syscall\n\t"
        "jmp 1b\n\t"
        : : "r"(v) : "rax", "rcx", "r11", "memory");
}

static void *second(void *arg) {
    load_and_pause(lanes[1]);
    return arg;
}

static void map_file(const char *path, const char *tag, int flags) {
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    char page[4096];
    for (int p = 0; p < 4; p++) {
        for (int l = 0; l < 256; l++) {
            char line[17];
            snprintf(line, sizeof line, "%s p%d l%03d-----", tag, p, l);   /* 16 characters + NUL */
            memcpy(page + 16 * l, line, 16);
        }
        write(fd, page, p < 3 ? 4096 : 100);
    }
    mmap(0, 4 * 4096, PROT_READ, flags, fd, 0);
    close(fd);
}

int main(void) {
    map_file("/dev/shm/stasis-lab", "SHM", MAP_SHARED);
    map_file("/dev/stasis-lab", "DEV", MAP_PRIVATE);
    for (uint32_t t = 0; t < 2; t++)
        for (uint32_t i = 0; i < 16; i++)
            for (uint32_t k = 0; k < 8; k++) lanes[t][i][k] = (t ? 0xb0000000u : 0xa0000000u) | i << 8 | k;
    pthread_t th;
    pthread_create(&th, 0, second, 0);
    load_and_pause(lanes[0]);
    return (int) (uintptr_t) marker;
}
