"""Two-factor sign-in: an authenticator app's codes (TOTP) and single-use recovery codes, with django-otp."""
