/** The fifth city, outside India's time zone; prices in AED (fils). */
export const dubai = {
  name: 'Dubai',
  timeZone: 'Asia/Dubai',
  currency: 'AED' as const,
  theatres: [
    { name: 'VOX Cinemas, Mall of the Emirates', address: 'Mall of the Emirates, Sheikh Zayed Road, Al Barsha, Dubai' },
    { name: 'Reel Cinemas, The Dubai Mall', address: 'The Dubai Mall, Financial Centre Road, Downtown Dubai' },
  ],
  /** title -> [theatre index, base price in fils] */
  plays: [
    ['RRR', 0, 4500],
    ['Pathaan', 0, 4500],
    ['Dune: Part Two', 1, 5500],
    ['Oppenheimer', 1, 5500],
    ['Jawan', 1, 4500],
    ['Leo', 0, 4000],
  ] as [string, number, number][],
};

/** The large venue: this theatre's first screen is a 2,200-seat hall. */
export const grandHall = { theatre: 'Sandhya 70MM, RTC X Roads', seats: 2200 };
