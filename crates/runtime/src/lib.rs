//! Runtime for the generated IoT Explorer client.
