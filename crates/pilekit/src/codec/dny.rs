//! AP3000 "DNY" V8.6 e-bike piles.
