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
 * user b's. Actors: each user (startPayment, paying at the gateway at any moment, even
 * after the deadline: the late capture; user 0 also cancelBooking), staff cancelling the
 * show (cancelShow), and two server processes, each taking webhooks and returns
 * (recordCapture: reordered, lost, and duplicated by the sweeper and reconciliation of
 * either process recording the same capture) and running the jobs: expireUnpaid,
 * reconcile, settleRefunds (with a gateway refund call that fails once).
 *
 * A BROKEN_* define weakens one step; scripts/check-model.sh requires spin to reject each.
 */

#define NB 2          /* bookings = users */
#define QUOTE 2       /* the server's quote, in model money units */
#ifndef HOOKS
#define HOOKS 1       /* notifications of one capture (webhook or return; 2: both), each may be lost */
#endif

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
#define NFINITE 3   /* two users, staff */
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

proctype user(byte u) {
  byte amt; bool ok;
  d_step {
    if
    :: ALL(u, FREE) && !showCancelled ->
       /* holdSeats, then startPayment (via confirmBooking): every seat is the user's live
          hold → booking pending_payment, payment pending, seats booked(booking); then
          openOrder (booking pending_payment): the gateway's order and payUrl. The holds'
          own races are the seat service's; a booking gone before its order could only
          not be paid, which "abandoned" below covers. */
       SET_SEATS(u, BOOKED(u)); bst[u] = PENDING; pst[u] = P_PENDING; ok = 1
    :: else -> ok = 0                               /* seats taken, or the show cancelled */
    fi }
  if :: !ok -> goto done :: else fi;
  ok = 0;
  /* On the gateway's page. The money may land at any moment from here on: before the
     deadline, or after it (a slow bank, a UPI collect approved late). */
  /* A declined card (recordDecline: booking pending_payment) only sets lastError, which no
     condition reads: the user may try again, so it is the same as not having paid yet. */
  if
  :: atomic { gwPaid[u] = 1; hooks[u] = HOOKS }      /* captured: the webhook and the user's return to come */
  :: goto done                                      /* abandoned */
  fi;
  if                                                /* cancelBooking: booking confirmed (ticket unused) */
  :: u == 0 && bst[u] == CONFIRMED ->               /* (user 0 only, to keep the model small) */
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

#define NOWORK (hooks[0] == 0 && hooks[1] == 0 && bst[0] != PENDING && bst[1] != PENDING && \
                !(gwPaid[0] && pst[0] != P_CAPTURED) && !(gwPaid[1] && pst[1] != P_CAPTURED) && \
                rst[0] != R_PENDING && rst[0] != R_FAILED && rst[1] != R_PENDING && rst[1] != R_FAILED)

#define OP_NONE 0
#define OP_SWEEP 1
#define OP_RECORD 2
#define OP_SETTLE 3

/*
 * One server process: it takes the webhooks ("captured"; the user's return arrives the
 * same way), and runs the jobs: the deadline sweeper (expireUnpaid), reconciliation
 * (reconcile) and refunds (settleRefunds). Two of them run at once, not leased.
 * It stops once everything else is done and there is no work left: no booking
 * pending_payment (every deadline passes in the end), no capture unrecorded, no
 * notification in flight, no refund unsettled.
 */
proctype server() {
  byte b, op, step; bool ok;
  do
  :: atomic {
       if                                           /* the next thing to do, in any order */
       :: hooks[0] > 0 -> hooks[0]--; b = 0; if :: op = OP_RECORD :: op = OP_NONE fi   /* a webhook or a return; or lost */
       :: hooks[1] > 0 -> hooks[1]--; b = 1; if :: op = OP_RECORD :: op = OP_NONE fi
       :: bst[0] == PENDING -> b = 0; op = (gwPaid[0] -> OP_RECORD : OP_SWEEP)   /* the sweeper: deadline passed; */
       :: bst[1] == PENDING -> b = 1; op = (gwPaid[1] -> OP_RECORD : OP_SWEEP)   /* the gateway asked: captured? */
       :: gwPaid[0] && pst[0] != P_CAPTURED -> b = 0; op = OP_RECORD   /* reconcile: captured at the gateway, not here */
       :: gwPaid[1] && pst[1] != P_CAPTURED -> b = 1; op = OP_RECORD
       :: finished == NFINITE && (rst[0] == R_PENDING || rst[0] == R_FAILED) -> b = 0; op = OP_SETTLE
       :: finished == NFINITE && (rst[1] == R_PENDING || rst[1] == R_FAILED) -> b = 1; op = OP_SETTLE
       :: finished == NFINITE && NOWORK -> break
       fi }
     if
     :: op == OP_SWEEP ->                           /* the gateway said not captured */
        d_step {                                    /* expireUnpaid: booking pending_payment, deadline passed */
          if
          :: bst[b] == PENDING -> bst[b] = EXPIRED; pst[b] = P_EXPIRED; FREE_SEATS_OF(b)
          :: else
          fi;
          op = OP_NONE; b = 0 }
     :: else
     fi;
     if
     :: op == OP_RECORD -> recordCapture(b)
     :: op == OP_SETTLE -> settleRefunds(b)
     :: else
     fi;
     atomic { op = OP_NONE; b = 0 }
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

/*
 * The invariants. A broken one sets its flag and fails `assert(!flag)`, so pan names it.
 * Checked in every state:
 */
#define NO_SEAT_TWICE \
  (!(LIVE(0) && LIVE(1) && (want[0] & want[1])) && \
   (!LIVE(0) || ALL(0, BOOKED(0))) && (!LIVE(1) || ALL(1, BOOKED(1))))
#define SEAT_OF_LIVE(s) \
  ((seat[s] != BOOKED(0) || (IN(0, s) && LIVE(0))) && (seat[s] != BOOKED(1) || (IN(1, s) && LIVE(1))))
#define PAID(b) (bst[b] != CONFIRMED || (gwPaid[b] && pst[b] == P_CAPTURED))
#define REFUND_OK(b) \
  ((nref[b] == 0 || (pst[b] == P_CAPTURED && gwPaid[b])) && nref[b] <= 1 && \
   refAmt[b] <= QUOTE && gwRefunded[b] <= QUOTE && (gwRefunded[b] == 0 || nref[b] == 1))

bool seat_in_two_live_bookings, seat_booked_by_dead_booking, confirmed_without_capture,
     refund_without_capture_or_above_it;

active proctype invariants() {
end:
  if
  :: atomic { !NO_SEAT_TWICE -> seat_in_two_live_bookings = 1; assert(!seat_in_two_live_bookings) }
  :: atomic { !(SEAT_OF_LIVE(0) && SEAT_OF_LIVE(1)) ->
       seat_booked_by_dead_booking = 1; assert(!seat_booked_by_dead_booking) }
  :: atomic { !(PAID(0) && PAID(1)) -> confirmed_without_capture = 1; assert(!confirmed_without_capture) }
  :: atomic { !(REFUND_OK(0) && REFUND_OK(1)) ->
       refund_without_capture_or_above_it = 1; assert(!refund_without_capture_or_above_it) }
  fi
}

/* Checked at quiescence: every actor done, and the servers found no work left. */
#define ACCOUNTED(b) \
  ((gwPaid[b] == (pst[b] == P_CAPTURED)) && \
   (!gwPaid[b] || \
    (bst[b] == CONFIRMED && nref[b] == 0) || \
    (bst[b] != CONFIRMED && nref[b] == 1) || \
    (bst[b] == CANCELLED && kept[b] && nref[b] == 0)))
#define REFUNDS_SETTLED(b) (nref[b] == 0 || (rst[b] == R_SUCCEEDED && gwRefunded[b] == refAmt[b]))

bool capture_without_one_booking_or_one_refund, refund_unsettled, booking_left_pending,
     confirmed_on_cancelled_show;

proctype quiescence() {
  jobsDone == 2;
  d_step {
    capture_without_one_booking_or_one_refund = !(ACCOUNTED(0) && ACCOUNTED(1));
    refund_unsettled = !(REFUNDS_SETTLED(0) && REFUNDS_SETTLED(1));
    booking_left_pending = (bst[0] == PENDING || bst[1] == PENDING);
    confirmed_on_cancelled_show = (showCancelled && (bst[0] == CONFIRMED || bst[1] == CONFIRMED)) }
  assert(!capture_without_one_booking_or_one_refund);
  assert(!refund_unsettled);
  assert(!booking_left_pending);
  assert(!confirmed_on_cancelled_show)
}

init {
  atomic {
    want[0] = 3;                                    /* seats 0 and 1 */
    want[1] = 2;                                    /* seat 1 */
    run user(0); run user(1);
    run server(); run server();
    run staff();
    run quiescence()
  }
}
