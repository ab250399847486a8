/*
 * Movie Magic: the booking / payment / seat protocol of docs/payments.md, model-checked.
 *
 *   bash scripts/check-model.sh        (spin -a, gcc, pan: exhaustive; and every BROKEN_* variant)
 *
 * Every write to the store is one d_step guarded by exactly the condition of its row in
 * docs/payments.md ("Steps"), and named by the function that makes it. Reads are separate
 * steps, so a decision can be taken on a stale read; only the write's condition protects.
 *
 * Two users want overlapping seats (user 0: seats 0 and 1, user 1: seat 1); booking b is
 * user b's. Actors: each user (hold, startPayment, openOrder, the return, cancelBooking),
 * the gateway of each booking (a decline, a capture that may land any time, even after the
 * deadline: the late capture), two webhook handlers (webhooks duplicated, reordered, lost),
 * staff cancelling the show, and two job runners (two server processes), each sweeping
 * deadlines (expireUnpaid), reconciling (reconcile) and settling refunds (settleRefunds).
 *
 * A BROKEN_* define weakens one step; scripts/check-model.sh requires spin to reject each.
 */

#define NB 2          /* bookings = users */
#define QUOTE 2       /* the server's quote, in model money units */

/* seat[s] */
#define FREE 0
#define HELD(u) (1 + (u))
#define BOOKED(b) (3 + (b))

/* booking status */
#define NONE 0
#define PENDING 1      /* pending_payment */
#define CONFIRMED 2
#define EXPIRED 3
#define CANCELLED 4

/* payment status */
#define P_NONE 0
#define P_PENDING 1
#define P_CAPTURED 2
#define P_EXPIRED 3

/* refund status */
#define R_NONE 0
#define R_PENDING 1
#define R_SUCCEEDED 2
#define R_FAILED 3

byte seat[2];
byte want[NB];            /* the seats of booking b, as a bit set */
byte bst[NB];             /* booking status */
byte pst[NB];             /* payment status */
bool showCancelled;

bool gwPaid[NB];          /* the gateway holds the customer's money (the truth, not our record) */
byte gwRefunded[NB];      /* money the gateway gave back */
bool gwRefundDone[NB];    /* the gateway saw this refund id (idempotency) */
byte hooks[NB];           /* "captured" webhooks in flight */
byte refundFailures = 1;  /* the gateway may fail this many refund calls (retried) */

byte nref[NB];            /* refund records of booking b's payment */
byte refAmt[NB];
byte rst[NB];
bool kept[NB];            /* cancelled at a 0 % tier of the refund policy: no refund due */

byte usersDone;
byte finished;            /* users, gateways, staff, webhook handlers that are done */
#define NFINITE 4   /* two users, staff, the webhook handler */
byte jobsDone;

#define IN(b, s) ((want[b] >> (s)) & 1)
#define ALL(b, v) ((!IN(b, 0) || seat[0] == (v)) && (!IN(b, 1) || seat[1] == (v)))
#define LIVE(b) (bst[b] == PENDING || bst[b] == CONFIRMED)

/* Seats of b that are still b's go back to free (never another booking's). */
#define FREE_SEATS_OF(b) \
  if :: IN(b, 0) && seat[0] == BOOKED(b) -> seat[0] = FREE :: else fi; \
  if :: IN(b, 1) && seat[1] == BOOKED(b) -> seat[1] = FREE :: else fi

#define SET_SEATS(b, v) \
  if :: IN(b, 0) -> seat[0] = (v) :: else fi; \
  if :: IN(b, 1) -> seat[1] = (v) :: else fi

#define CREATE_REFUND(b, amt) \
  if :: (amt) > 0 -> nref[b]++; refAmt[b] = (amt); rst[b] = R_PENDING :: else -> kept[b] = 1 fi

/* ---- the conditions of the table (docs/payments.md, "Steps") ---- */

/* markPaid: booking pending_payment (amount and currency equal the quote: abstracted) */
#ifdef BROKEN_MARKPAID
#define MARKPAID_OK(b) (bst[b] != NONE)
#else
#define MARKPAID_OK(b) (bst[b] == PENDING)
#endif

/* rebookLate: booking expired; payment not yet captured; every seat free; show not cancelled */
#if defined(BROKEN_REBOOK_SEATS)
#define REBOOK_OK(b) (bst[b] == EXPIRED && pst[b] != P_CAPTURED && !showCancelled)
#elif defined(BROKEN_REBOOK_AFTER_REFUND)
#define REBOOK_OK(b) (bst[b] == EXPIRED && ALL(b, FREE) && !showCancelled)
#else
#define REBOOK_OK(b) (bst[b] == EXPIRED && pst[b] != P_CAPTURED && ALL(b, FREE) && !showCancelled)
#endif

/* refundLate: booking expired or cancelled unpaid; payment not yet captured */
#ifdef BROKEN_REFUND_TWICE
#define REFUNDLATE_OK(b) (bst[b] == EXPIRED || bst[b] == CANCELLED)
#else
#define REFUNDLATE_OK(b) ((bst[b] == EXPIRED || bst[b] == CANCELLED) && pst[b] != P_CAPTURED)
#endif

/*
 * recordCapture(b): the gateway says captured (webhook, return, sweeper or reconcile).
 * Reads the booking and its seats, takes the step the read calls for as one conditional
 * write; a failed condition reads again. A read may be stale by the time of the write.
 */
#define S_DONE 0
#define S_MARKPAID 1
#define S_REBOOK 2
#define S_REFUNDLATE 3

inline recordCapture(b) {
  do
  :: atomic {                                       /* ask the gateway; get the booking (and its seats) */
       if
       :: !gwPaid[b] -> step = S_DONE               /* not captured: nothing to record */
       :: gwPaid[b] && pst[b] == P_CAPTURED -> step = S_DONE   /* recorded already: nothing twice */
       :: gwPaid[b] && pst[b] != P_CAPTURED ->
          if
          :: bst[b] == PENDING -> step = S_MARKPAID
          :: bst[b] == EXPIRED && ALL(b, FREE) && !showCancelled -> step = S_REBOOK
          :: bst[b] == EXPIRED || bst[b] == CANCELLED -> step = S_REFUNDLATE
          :: else -> step = S_DONE                  /* BROKEN_MARKPAID only: confirmed, not captured */
          fi
       fi }
     if :: step == S_DONE -> break :: else fi;
     d_step {
       if
       :: step == S_MARKPAID && MARKPAID_OK(b) ->             /* markPaid */
          bst[b] = CONFIRMED; pst[b] = P_CAPTURED; step = S_DONE
       :: step == S_REBOOK && REBOOK_OK(b) ->                 /* rebookLate */
          SET_SEATS(b, BOOKED(b)); bst[b] = CONFIRMED; pst[b] = P_CAPTURED; step = S_DONE
       :: step == S_REFUNDLATE && REFUNDLATE_OK(b) ->         /* refundLate */
          pst[b] = P_CAPTURED; CREATE_REFUND(b, QUOTE); step = S_DONE
       :: else                                      /* the condition failed: read again */
       fi }
     if :: step == S_DONE -> break :: else fi
  od
}

/* settleRefunds(b): refund pending or failed → gateway refund (idempotent by refund id) → status */
inline settleRefunds(b) {
  atomic {                                          /* the gateway's refund call */
    if
    :: refundFailures > 0 -> refundFailures--; ok = 0
    :: true ->
#ifdef BROKEN_REFUND_NOT_IDEMPOTENT
       gwRefunded[b] = gwRefunded[b] + refAmt[b];
#else
       if :: !gwRefundDone[b] -> gwRefunded[b] = gwRefunded[b] + refAmt[b]; gwRefundDone[b] = 1 :: else fi;
#endif
       ok = 1
    fi }
  d_step {                                          /* the refund's status, on the condition */
    if
    :: (rst[b] == R_PENDING || rst[b] == R_FAILED) -> rst[b] = (ok -> R_SUCCEEDED : R_FAILED)
    :: else
    fi;
    ok = 0 }
}

/* expireUnpaid(b): booking pending_payment, deadline passed, the gateway does not say captured */
inline expireUnpaid(b) {
  if
  :: gwPaid[b] -> recordCapture(b)                  /* the gateway says captured: record it */
  :: else ->
     d_step {
       if
       :: bst[b] == PENDING -> bst[b] = EXPIRED; pst[b] = P_EXPIRED; FREE_SEATS_OF(b)
       :: else
       fi }
  fi
}

proctype user(byte u) {
  byte step, amt; bool ok;
  d_step {                                          /* holdSeats: every seat free, one transaction */
    if
    :: ALL(u, FREE) && !showCancelled -> SET_SEATS(u, HELD(u)); ok = 1
    :: else -> ok = 0
    fi }
  if :: !ok -> goto done :: else fi;
  d_step {                                          /* startPayment (via confirmBooking) */
    if
    :: ALL(u, HELD(u)) && !showCancelled ->
       SET_SEATS(u, BOOKED(u)); bst[u] = PENDING; pst[u] = P_PENDING; ok = 1
    :: else -> SET_SEATS(u, FREE); ok = 0           /* the show was cancelled: the holds go */
    fi }
  if :: !ok -> goto done :: else fi;
  d_step {                                          /* openOrder: booking pending_payment */
    if :: bst[u] == PENDING -> ok = 1 :: else -> ok = 0 fi }
  if :: !ok -> goto done :: else fi;
  ok = 0;
  /* On the gateway's page. The money may land at any moment from here on: before the
     deadline, or after it (a slow bank, a UPI collect approved late). */
  /* A declined card (recordDecline: booking pending_payment) only sets lastError, which no
     condition reads: the user may try again, so it is the same as not having paid yet. */
  if
  :: atomic { gwPaid[u] = 1; hooks[u] = 2 }          /* captured; its webhook, twice (either may be lost) */
  :: goto done                                      /* abandoned */
  fi;
  if                                                /* the user's return from the gateway's page */
  :: recordCapture(u)
  :: skip                                           /* the tab was closed */
  fi;
  if                                                /* cancelBooking: booking confirmed (ticket unused) */
  :: bst[u] == CONFIRMED ->
     if :: amt = 0 :: amt = 1 fi;   /* the refund policy's tier: 0 % or a part */
     d_step {
       if
       :: bst[u] == CONFIRMED -> bst[u] = CANCELLED; FREE_SEATS_OF(u); CREATE_REFUND(u, amt)
       :: else
       fi;
       amt = 0 }
  :: skip
  fi;
done:
  usersDone++;
  finished++
}

#define GATEWAYS_QUIET (hooks[0] == 0 && hooks[1] == 0)

/* POST /api/payments/webhook/:gateway, in one server process: any order, duplicates, losses. */
inline onCaptured(b) {
  if
  :: recordCapture(b)
  :: skip                                           /* lost (a 5xx the gateway gave up on) */
  fi;
  b = 0
}
proctype webhooks() {
  byte b, step; bool ok;
  do
  :: atomic { hooks[0] > 0 -> hooks[0]--; b = 0 }; onCaptured(b)
  :: atomic { hooks[1] > 0 -> hooks[1]--; b = 1 }; onCaptured(b)
  :: atomic { usersDone == NB && GATEWAYS_QUIET -> break }
  od;
  finished++
}

#define NOWORK (bst[0] != PENDING && bst[1] != PENDING && \
                !(gwPaid[0] && pst[0] != P_CAPTURED) && !(gwPaid[1] && pst[1] != P_CAPTURED) && \
                rst[0] != R_PENDING && rst[0] != R_FAILED && rst[1] != R_PENDING && rst[1] != R_FAILED)

/*
 * The background jobs of one server process; two run at once. A job runner stops once
 * everything else is done and there is no work left: no booking pending_payment (every
 * deadline passes in the end), no capture unrecorded, no refund unsettled.
 */
proctype jobs() {
  byte b, step; bool ok;
  do
  :: atomic { bst[0] == PENDING -> b = 0 }; expireUnpaid(b); b = 0
  :: atomic { bst[1] == PENDING -> b = 1 }; expireUnpaid(b); b = 0
  :: atomic { gwPaid[0] && pst[0] != P_CAPTURED -> b = 0 }; recordCapture(b); b = 0   /* reconcile */
  :: atomic { gwPaid[1] && pst[1] != P_CAPTURED -> b = 1 }; recordCapture(b); b = 0   /* reconcile */
  :: atomic { (rst[0] == R_PENDING || rst[0] == R_FAILED) -> b = 0 }; settleRefunds(b); b = 0
  :: atomic { (rst[1] == R_PENDING || rst[1] == R_FAILED) -> b = 1 }; settleRefunds(b); b = 0
  :: atomic { finished == NFINITE && NOWORK -> break }
  od;
  jobsDone++
}

/*
 * cancelShow: the show is marked cancelled first (startPayment and rebookLate check it), then
 * each booking of the show is read and cancelled by the write its status calls for. A
 * failed condition reads again, so read and write are taken together here: the retry
 * ends in the write for the status the booking has at that moment.
 */
proctype staff() {
  byte b;
  if
  :: showCancelled = 1
  :: goto done                                      /* the show goes ahead */
  fi;
  for (b : 0 .. NB - 1) {
    d_step {
      if
      :: bst[b] == CONFIRMED ->                     /* cancelShow, paid: booking confirmed, 100 % */
         bst[b] = CANCELLED; FREE_SEATS_OF(b); CREATE_REFUND(b, QUOTE)
#ifndef BROKEN_SHOW_CANCEL
      :: bst[b] == PENDING ->                       /* cancelShow, unpaid: booking pending_payment */
         bst[b] = CANCELLED; pst[b] = P_EXPIRED; FREE_SEATS_OF(b)
#endif
      :: else                                       /* nothing to cancel */
      fi }
  }
  b = 0;
done:
  finished++
}

/* Checked in every state. */
#define SEAT_SAFE(s) \
  ((seat[s] != BOOKED(0) || (IN(0, s) && LIVE(0))) && (seat[s] != BOOKED(1) || (IN(1, s) && LIVE(1))))
#define BOOKING_SAFE(b) \
  ((!LIVE(b) || ALL(b, BOOKED(b))) && \
   (bst[b] != CONFIRMED || (gwPaid[b] && pst[b] == P_CAPTURED)) && \
   (nref[b] == 0 || (pst[b] == P_CAPTURED && gwPaid[b])) && \
   nref[b] <= 1 && refAmt[b] <= QUOTE && gwRefunded[b] <= QUOTE && \
   (gwRefunded[b] == 0 || nref[b] == 1))
#define SAFE (!(LIVE(0) && LIVE(1) && (want[0] & want[1])) && SEAT_SAFE(0) && SEAT_SAFE(1) && \
              BOOKING_SAFE(0) && BOOKING_SAFE(1))

active proctype invariants() {
end: atomic { !SAFE -> assert(SAFE) }
}

/* Checked once everything is done and the jobs found no more work. */
#define SETTLED(b) \
  (bst[b] != PENDING && (gwPaid[b] == (pst[b] == P_CAPTURED)) && \
   (!gwPaid[b] || \
    (bst[b] == CONFIRMED && nref[b] == 0) || \
    (bst[b] != CONFIRMED && nref[b] == 1) || \
    (bst[b] == CANCELLED && kept[b] && nref[b] == 0)) && \
   (nref[b] == 0 || (rst[b] == R_SUCCEEDED && gwRefunded[b] == refAmt[b])) && \
   !(showCancelled && bst[b] == CONFIRMED))

proctype quiescence() {
  jobsDone == 2;
  assert(SETTLED(0));
  assert(SETTLED(1))
}

init {
  atomic {
    want[0] = 3;                                    /* seats 0 and 1 */
    want[1] = 2;                                    /* seat 1 */
    run user(0); run user(1);
    run webhooks();
    run jobs(); run jobs();
    run staff();
    run quiescence()
  }
}
