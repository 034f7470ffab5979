//! Content: the header, the commitments and their order — what sales and operations write
//! together and what a signature covers.
