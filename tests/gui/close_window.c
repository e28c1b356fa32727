/* Closes a window as a window manager does (a WM_DELETE_WINDOW message),
 * then measures how long its process takes to end.
 *   usage: close_window WINDOW_ID [PID]   (with PID: prints "closed in S s",
 *   exit 0 when the process ended within 10 s; without: only sends) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xlib.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    fprintf(stderr, "usage: close_window WINDOW_ID [PID]\n");
    return 2;
  }
  Window w = (Window)strtoul(argv[1], NULL, 0);
  pid_t pid = argc == 3 ? (pid_t)atoi(argv[2]) : 0;
  Display* d = XOpenDisplay(NULL);
  if (!d) return 2;
  XEvent e = {0};
  e.xclient.type = ClientMessage;
  e.xclient.window = w;
  e.xclient.message_type = XInternAtom(d, "WM_PROTOCOLS", False);
  e.xclient.format = 32;
  e.xclient.data.l[0] = (long)XInternAtom(d, "WM_DELETE_WINDOW", False);
  e.xclient.data.l[1] = CurrentTime;
  double start = now();
  XSendEvent(d, w, False, NoEventMask, &e);
  XFlush(d);
  if (!pid) {
    XCloseDisplay(d);
    return 0;
  }
  /* the process is the caller's child's sibling: poll for it to be gone */
  while (now() - start < 10) {
    if (kill(pid, 0) != 0 && errno == ESRCH) break;
    usleep(2000);
  }
  double took = now() - start;
  XCloseDisplay(d);
  printf("closed in %.3f s\n", took);
  return took < 10 ? 0 : 1;
}
