//! JUY `5A A5` V1.2 e-bike piles.
