/* A loopback TCP proxy that adds a round-trip time, for benchmarks/bench_verify.py.
 *
 * Why C: the asyncio proxy it replaces spent ~130 ms of CPU on one core to relay the ~430 connections of a
 * 128-suite enumeration, so its own queueing, not the network it models, shaped the timing of whichever tool
 * opened connections in parallel (and the machine has 2 cores for the proxy, nginx and the tool). This one
 * relays a connection in microseconds, on one epoll loop.
 *
 * The model is the asyncio proxy's: every chunk is delayed by RTT/2 in each direction, in order. The kernel
 * completes a loopback connect at once, so the connect round trip is charged on the first client chunk: it
 * reaches the server no sooner than 1.5 RTT after the connection was accepted (and RTT/2 after it was sent),
 * which is what a real connect + send costs, whether the client writes at once or later. A half close (EOF) is
 * relayed after the same delay; a reset or error closes both sides at once.
 *
 *     cc -O2 -o delayproxy delayproxy.c && ./delayproxy RTT_MS LISTEN_PORT:BACKEND_PORT [...]
 *
 * It prints "ready" once every port listens, and runs until killed. Only 127.0.0.1 is used.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#define MAX_LISTEN 16
#define CHUNK 65536

typedef struct chunk {
    struct chunk *next;
    double due;
    size_t len, off; /* len 0: end of stream (half close) */
    char data[];
} chunk;

typedef struct side side;
typedef struct pair pair;

struct side {      /* one direction: read from src, deliver to dst */
    int src, dst;
    chunk *head, *tail;
    int eof_read;  /* src reached EOF (queued as a len-0 chunk) */
    int done;      /* EOF delivered to dst */
    pair *owner;
};

struct pair {
    double accepted;
    int first_sent;  /* the client already sent a chunk: later ones need not wait for the connect charge */
    side up, down;   /* up: client -> backend, down: backend -> client */
    int client, backend;
    pair *prev, *next;
};

typedef struct { int fd; int backend_port; } listener;
typedef struct { int kind; void *ptr; } tag; /* kind 0: listener, 1: client fd, 2: backend fd */

static double rtt;
static int ep;
static pair *pairs;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static void push(side *s, const char *data, size_t len, double due) {
    chunk *c = malloc(sizeof(chunk) + len);
    if (!c) { perror("malloc"); exit(3); }
    c->next = NULL; c->len = len; c->off = 0;
    if (s->tail && s->tail->due > due) due = s->tail->due; /* keep order */
    c->due = due;
    memcpy(c->data, data, len);
    if (s->tail) s->tail->next = c; else s->head = c;
    s->tail = c;
}

static void free_side(side *s) {
    while (s->head) { chunk *c = s->head; s->head = c->next; free(c); }
    s->tail = NULL;
}

static void destroy(pair *p) {
    close(p->client);
    close(p->backend);
    free_side(&p->up);
    free_side(&p->down);
    if (p->prev) p->prev->next = p->next; else pairs = p->next;
    if (p->next) p->next->prev = p->prev;
    free(p);
}

static void reset(pair *p) { /* an error on either side: both closed at once, the client sees a reset */
    struct linger lg = {1, 0};
    setsockopt(p->client, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    destroy(p);
}

static int readable(pair *p, side *s) { /* returns -1 if the pair was destroyed */
    char buf[CHUNK];
    for (;;) {
        ssize_t n = read(s->src, buf, sizeof buf);
        if (n > 0) {
            double due = now() + rtt / 2;
            if (s == &p->up && !p->first_sent) {
                if (due < p->accepted + 1.5 * rtt) due = p->accepted + 1.5 * rtt;
                p->first_sent = 1;
            }
            push(s, buf, (size_t)n, due);
            continue;
        }
        if (n == 0) {
            if (!s->eof_read) {
                s->eof_read = 1;
                push(s, "", 0, now() + rtt / 2);
                struct epoll_event ev = {0};
                epoll_ctl(ep, EPOLL_CTL_DEL, s->src, &ev); /* nothing more to read from it */
            }
            return 0;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        if (errno == EINTR) continue;
        reset(p);
        return -1;
    }
}

/* Deliver what is due; returns the earliest pending due time (or a large value), -1 if destroyed. */
static double deliver(pair *p, side *s, double t) {
    while (s->head && s->head->due <= t) {
        chunk *c = s->head;
        if (c->len == 0) {
            shutdown(s->dst, SHUT_WR);
            s->done = 1;
        } else {
            while (c->off < c->len) {
                ssize_t n = send(s->dst, c->data + c->off, c->len - c->off, MSG_NOSIGNAL);
                if (n > 0) { c->off += (size_t)n; continue; }
                if (n < 0 && errno == EINTR) continue;
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return t + 0.001; /* retry soon */
                reset(p);
                return -1;
            }
        }
        s->head = c->next;
        if (!s->head) s->tail = NULL;
        free(c);
    }
    return s->head ? s->head->due : 1e18;
}

static void add(int fd, int kind, void *ptr) {
    tag *tg = malloc(sizeof(tag)); /* leaked per fd: a benchmark run opens a few thousand at most */
    tg->kind = kind; tg->ptr = ptr;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = tg};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void accept_one(listener *l) {
    for (;;) {
        int c = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK);
        if (c < 0) return;
        int b = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(l->backend_port)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(b, (struct sockaddr *)&a, sizeof a) < 0) { close(b); close(c); continue; } /* blocking: loopback */
        nonblock(b);
        int one = 1;
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        setsockopt(b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        pair *p = calloc(1, sizeof(pair));
        p->accepted = now();
        p->client = c; p->backend = b;
        p->up = (side){.src = c, .dst = b, .owner = p};
        p->down = (side){.src = b, .dst = c, .owner = p};
        p->next = pairs; if (pairs) pairs->prev = p; pairs = p;
        add(c, 1, p);
        add(b, 2, p);
    }
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s RTT_MS LISTEN_PORT:BACKEND_PORT [...]\n", argv[0]); return 2; }
    rtt = atof(argv[1]) / 1000.0;
    ep = epoll_create1(0);
    listener ls[MAX_LISTEN];
    int nl = 0;
    for (int i = 2; i < argc && nl < MAX_LISTEN; i++, nl++) {
        int lp, bp;
        if (sscanf(argv[i], "%d:%d", &lp, &bp) != 2) { fprintf(stderr, "bad pair %s\n", argv[i]); return 2; }
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(lp)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4096) < 0) { perror("listen"); return 2; }
        ls[nl] = (listener){fd, bp};
        add(fd, 0, &ls[nl]);
    }
    printf("ready\n");
    fflush(stdout);
    struct epoll_event evs[256];
    double next_due = 1e18;
    for (;;) {
        double t = now();
        int timeout = next_due >= 1e17 ? 1000 : (int)((next_due - t) * 1000.0 + 0.999);
        if (timeout < 0) timeout = 0;
        int n = epoll_wait(ep, evs, 256, timeout);
        for (int i = 0; i < n; i++) {
            tag *tg = evs[i].data.ptr;
            if (!tg) continue; /* its pair was reset earlier in this batch */
            if (tg->kind == 0) { accept_one(tg->ptr); continue; }
            pair *p = tg->ptr;
            side *s = tg->kind == 1 ? &p->up : &p->down;
            if (readable(p, s) < 0) {
                /* the other fd of the pair may still be in evs: drop events pointing at it */
                for (int j = i + 1; j < n; j++) {
                    tag *o = evs[j].data.ptr;
                    if (o && o->kind != 0 && o->ptr == p) evs[j].data.ptr = NULL;
                }
            }
        }
        t = now();
        next_due = 1e18;
        for (pair *p = pairs, *nx; p; p = nx) {
            nx = p->next;
            double a = deliver(p, &p->up, t);
            if (a < 0) continue;
            double b = deliver(p, &p->down, t);
            if (b < 0) continue;
            if (p->up.done && p->down.done) { destroy(p); continue; }
            if (a < next_due) next_due = a;
            if (b < next_due) next_due = b;
        }
    }
}
