//! One module per page of the console.

pub mod customers;
pub mod new_subscription;
pub mod sign_in;
pub mod subscription;
