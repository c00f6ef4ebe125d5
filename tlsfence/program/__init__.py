"""Run Pulumi programs offline under the SDK's mocks and record what they would register."""
