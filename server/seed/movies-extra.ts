/** Facts the original catalogue lacks: genres, runtime (minutes) and certificate. */
export const movieFacts: Record<string, { genres: string[]; runtime: number; certificate: string }> = {
  'Pushpa: The Rise': { genres: ['Action', 'Drama'], runtime: 179, certificate: 'UA' },
  RRR: { genres: ['Action', 'Drama'], runtime: 187, certificate: 'UA' },
  'Baahubali 2: The Conclusion': { genres: ['Action', 'Fantasy'], runtime: 167, certificate: 'UA' },
  'Sita Ramam': { genres: ['Romance', 'Drama'], runtime: 163, certificate: 'U' },
  Bimbisara: { genres: ['Fantasy', 'Action'], runtime: 146, certificate: 'UA' },
  'Karthikeya 2': { genres: ['Mystery', 'Adventure'], runtime: 145, certificate: 'U' },
  'Mad^2': { genres: ['Comedy'], runtime: 127, certificate: 'UA' },
  Robinhood: { genres: ['Action', 'Comedy'], runtime: 155, certificate: 'UA' },
  Pathaan: { genres: ['Action', 'Thriller'], runtime: 146, certificate: 'UA' },
  Brahmastra: { genres: ['Fantasy', 'Action'], runtime: 167, certificate: 'UA' },
  Jawan: { genres: ['Action', 'Thriller'], runtime: 169, certificate: 'UA' },
  Animal: { genres: ['Action', 'Crime', 'Drama'], runtime: 201, certificate: 'A' },
  'Tiger 3': { genres: ['Action', 'Thriller'], runtime: 156, certificate: 'UA' },
  'Gangubai Kathiawadi': { genres: ['Biography', 'Drama'], runtime: 154, certificate: 'UA' },
  'Avatar: The Way of Water': { genres: ['Sci-Fi', 'Adventure'], runtime: 192, certificate: 'UA' },
  Oppenheimer: { genres: ['Biography', 'Drama'], runtime: 180, certificate: 'UA' },
  'Dune: Part Two': { genres: ['Sci-Fi', 'Adventure'], runtime: 166, certificate: 'UA' },
  Presence: { genres: ['Horror', 'Thriller'], runtime: 84, certificate: 'A' },
  'The Batman': { genres: ['Action', 'Crime'], runtime: 176, certificate: 'UA' },
  'Mission: Impossible - Dead Reckoning': { genres: ['Action', 'Thriller'], runtime: 163, certificate: 'UA' },
  Leo: { genres: ['Action', 'Thriller'], runtime: 164, certificate: 'UA' },
  Jailer: { genres: ['Action', 'Comedy'], runtime: 168, certificate: 'UA' },
  'Ponniyin Selvan: Part 2': { genres: ['Historical', 'Drama'], runtime: 164, certificate: 'UA' },
  Vikram: { genres: ['Action', 'Thriller'], runtime: 174, certificate: 'UA' },
  Kaithi: { genres: ['Action', 'Thriller'], runtime: 145, certificate: 'UA' },
  Kantara: { genres: ['Action', 'Drama'], runtime: 148, certificate: 'UA' },
  'KGF: Chapter 2': { genres: ['Action', 'Drama'], runtime: 168, certificate: 'UA' },
  Romancham: { genres: ['Comedy', 'Horror'], runtime: 132, certificate: 'U' },
  '2018': { genres: ['Drama', 'Thriller'], runtime: 150, certificate: 'U' },
  'Stree 2': { genres: ['Horror', 'Comedy'], runtime: 150, certificate: 'UA' },
};

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
